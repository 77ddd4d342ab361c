/**
 * What the shared contract suite needs from a runtime: a running gateway (base URL + API token)
 * whose vendor base URLs point at the suite's simulators. Node and Workers each provide one; the
 * suite then talks to it over HTTP only, so both runtimes answer exactly the same questions.
 */

export interface GatewayUnderTest {
  url: string
  token: string
  /**
   * Fires the scheduler as of `at`: the Cron Trigger on Workers (`GET /__scheduled` under
   * `wrangler dev --test-scheduled`), on Node the call its in-process tick makes (runDueJobs).
   */
  runScheduled(at: Date): Promise<void>
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
  // Node's in-process scheduler stays off: the suite fires the scheduler itself (runScheduled).
  UNIMETER_SYNC_SCHEDULER: 'off',
}

export interface JsonResponse {
  status: number
  headers: Headers
  text: string
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

  /**
   * Polls `path` until `done` accepts its body (sync runs finish in the background), failing with
   * the last answer after 20 s (within the 30 s test timeout).
   */
  async pollUntil(path: string, done: (body: any) => boolean): Promise<JsonResponse> {
    const giveUpAt = Date.now() + 20_000
    for (;;) {
      const res = await this.json(path)
      if (res.status === 200 && done(res.body)) return res
      if (Date.now() > giveUpAt) throw new Error(`${path} did not reach the expected state: ${res.status} ${res.text}`)
      await new Promise((r) => setTimeout(r, 100))
    }
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
