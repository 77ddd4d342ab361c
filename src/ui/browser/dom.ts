/**
 * A small element builder: text always goes in as text nodes (never parsed as HTML), so nothing a
 * vendor or an API answer says can become markup.
 */
type Child = Node | string | number | null | undefined | false
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v)
    else el.setAttribute(k, v === true ? '' : String(v))
  }
  append(el, children)
  return el
}

export function append(parent: Node, children: Child[]): void {
  for (const c of children)
    if (c !== null && c !== undefined && c !== false) parent.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)))
}

export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren()
  append(parent, children)
}

/** The gateway's error envelope, or a plain message for anything else. */
export interface ApiFailure {
  status: number
  code: string
  message: string
  details?: { error_type?: string } & Record<string, unknown>
}

export async function requestJson<T>(path: string, init: RequestInit & { headers: Record<string, string> }): Promise<T> {
  return (await requestJsonWithHeaders<T>(path, init)).body
}

/** requestJson, with the answer's headers. */
export async function requestJsonWithHeaders<T>(
  path: string,
  init: RequestInit & { headers: Record<string, string> },
): Promise<{ body: T; headers: Headers }> {
  let res: Response
  try {
    res = await fetch(path, { ...init, headers: { accept: 'application/json', ...init.headers }, credentials: 'omit', cache: 'no-store' })
  } catch {
    throw {
      status: 0,
      code: 'network_error',
      message: 'The gateway could not be reached: check the connection and try again.',
    } satisfies ApiFailure
  }
  const body = (await res.json().catch(() => null)) as (T & Partial<ApiFailure>) | null
  if (!res.ok) {
    throw {
      status: res.status,
      code: body?.code ?? 'http_error',
      message: body?.message ?? `The gateway answered ${res.status}`,
      details: body?.details,
    } satisfies ApiFailure
  }
  return { body: body as T, headers: res.headers }
}

export function isFailure(err: unknown): err is ApiFailure {
  return typeof err === 'object' && err !== null && 'code' in err && 'message' in err
}
