/**
 * What the shared contract suite needs from a runtime: a running gateway (base URL + API token)
 * whose vendor base URLs point at the suite's simulators. Node and Workers each provide one; the
 * suite then talks to it over HTTP only, so both runtimes answer exactly the same questions.
 */

export interface GatewayUnderTest {
  url: string
  token: string
  /**
   * Fires the Cron Trigger (Workers: `GET /__scheduled?cron=…` under `wrangler dev --test-scheduled`).
   * Absent on runtimes whose scheduler is in-process.
   */
  triggerCron?(cron: string): Promise<void>
  close(): Promise<void>
}

/** Starts a gateway with these settings (vendor base URLs and the contract's settings below). */
export type StartGatewayUnderTest = (env: Record<string, string>) => Promise<GatewayUnderTest>

/**
 * Settings every runtime under test gets: quick retries, the gateway's own rate limits out of the
 * way, and URLs from account data (Limitr's snapshot URL) allowed to reach the loopback simulators.
 */
export const CONTRACT_ENV: Record<string, string> = {
  UNIMETER_ALLOW_PRIVATE_URLS: 'true',
  UNIMETER_LOG_LEVEL: 'warn',
  UNIMETER_RETRY_MAX: '2',
  UNIMETER_RETRY_MIN_DELAY_MS: '5',
  UNIMETER_RETRY_MAX_DELAY_MS: '50',
  UNIMETER_RATE_LIMIT_TOKEN: '1000000',
  UNIMETER_RATE_LIMIT_ACCOUNT: '1000000',
}

export interface JsonResponse {
  status: number
  headers: Headers
  text: string
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any
}

/** A small HTTP client for the gateway under test, authenticated with its token. */
export class ContractClient {
  constructor(private readonly gateway: () => GatewayUnderTest) {}

  get url(): string {
    return this.gateway().url
  }

  fetch(path: string, init: RequestInit = {}, token: string | null = this.gateway().token): Promise<Response> {
    const headers = new Headers(init.headers)
    if (token !== null) headers.set('authorization', `Bearer ${token}`)
    return fetch(`${this.url}${path}`, { ...init, headers })
  }

  async json(path: string, init: RequestInit = {}, token?: string | null): Promise<JsonResponse> {
    const res = await this.fetch(path, init, token)
    const text = await res.text()
    let body: unknown = text
    try {
      body = JSON.parse(text)
    } catch {
      // not JSON (NDJSON streams): `text` has it
    }
    return { status: res.status, headers: res.headers, text, body }
  }

  send(method: 'POST' | 'PATCH', path: string, body: unknown): Promise<JsonResponse> {
    return this.json(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  }

  /** Follows next_cursor from the first page to the last; fails on an error page or a cursor seen twice. */
  async walk(path: string): Promise<{ records: Array<Record<string, unknown>>; pages: number }> {
    const records: Array<Record<string, unknown>> = []
    const seen = new Set<string>()
    let cursor: string | null = null
    let pages = 0
    do {
      const page = await this.json(cursor ? `${path}&next_cursor=${encodeURIComponent(cursor)}` : path)
      if (page.status !== 200) throw new Error(`page ${pages + 1} of ${path} failed: ${page.status} ${page.text}`)
      records.push(...page.body.result)
      pages++
      cursor = page.body.next_cursor
      if (cursor !== null && seen.has(cursor)) throw new Error(`${path} handed out the same cursor twice`)
      if (cursor !== null) seen.add(cursor)
    } while (cursor !== null)
    return { records, pages }
  }
}
