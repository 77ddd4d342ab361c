/**
 * Truto's TypeScript SDK (trutohq/truto-ts-sdk 2.0.12) is not published on npm, so its
 * documented wire behaviour is transcribed here as a small client, to drive the gateway the way
 * the SDK does:
 * - every request sends `Authorization: Bearer`, `Accept: application/json`, and JSON bodies
 *   with `Content-Type: application/json`; query strings are encoded with qs;
 * - lists are cursors: the first page is asked with `next_cursor=` (empty), then each next page
 *   with the previous `next_cursor`, until it is empty or null;
 * - a response with status 408, 409, 425, 429, 502, 503 or 504 is sent again (at most 3 times;
 *   after a 429, Retry-After seconds later), whatever its headers say; any other error throws.
 * `requests` counts what went over the wire, so a test can see a retry happen or not.
 */
import qs from 'qs'

export const TRUTO_RETRY_STATUSES = [408, 409, 425, 429, 502, 503, 504]
const MAX_RETRIES = 3

export class TrutoWireError extends Error {
  constructor(
    readonly status: number,
    readonly data: unknown,
  ) {
    super(`Truto-style request failed with ${status}`)
  }
}

export class TrutoWireClient {
  requests = 0

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async request<T>(method: string, path: string, query: Record<string, unknown> = {}, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${this.token}` }
    if (body !== undefined) headers['content-type'] = 'application/json'
    let retries = 0
    for (;;) {
      this.requests++
      const res = await fetch(`${this.baseUrl}${path}?${qs.stringify(query)}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const data = (res.headers.get('content-type') ?? '').includes('json') ? await res.json() : await res.text()
      if (res.ok) return data as T
      if (!TRUTO_RETRY_STATUSES.includes(res.status) || retries >= MAX_RETRIES) throw new TrutoWireError(res.status, data)
      retries++
      if (res.status === 429) await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 10) * 1000))
    }
  }

  /** Every item of a list, page after page, as the SDK's Cursor.toArray does. */
  async all<T>(path: string, query: Record<string, unknown> = {}): Promise<{ items: T[]; pages: number }> {
    const items: T[] = []
    let cursor = ''
    let pages = 0
    do {
      const page = await this.request<{ result: T[]; next_cursor: string | null }>('GET', path, { ...query, next_cursor: cursor })
      items.push(...page.result)
      cursor = page.next_cursor || ''
      pages++
    } while (cursor)
    return { items, pages }
  }
}
