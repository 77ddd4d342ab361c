/**
 * Test harness: a real gateway (Node runtime, real SQLite file in a temp dir, real simulators
 * on loopback) per test file. Everything it starts is stopped and deleted by `close()`.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startGateway, type RunningGateway } from '../../src/runtime/node/start-gateway'
import type { SimulatorOptions } from '../../src/sandbox/simulator-kit/types'

export const TEST_TOKEN = 'test-admin-token-0123456789'
export const TEST_KEY = Buffer.alloc(32, 7).toString('base64')

export interface TestGateway extends RunningGateway {
  dir: string
  dbPath: string
  /** Log lines the gateway wrote (every level). */
  logs: string[]
  /** fetch against the gateway with the admin token. */
  api(path: string, init?: RequestInit): Promise<Response>
  json<T = any>(path: string, init?: RequestInit): Promise<{ status: number; body: T; headers: Headers }>
}

export async function startTestGateway(
  options: { env?: Record<string, string>; simulator?: SimulatorOptions; sandbox?: boolean } = {},
): Promise<TestGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'unimeter-test-'))
  const dbPath = join(dir, 'unimeter.db')
  const logs: string[] = []
  const gateway = await startGateway({
    env: {
      PORT: '0',
      UNIMETER_DATABASE_PATH: dbPath,
      UNIMETER_ADMIN_TOKEN: TEST_TOKEN,
      UNIMETER_ENCRYPTION_KEY: TEST_KEY,
      UNIMETER_SANDBOX: options.sandbox === false ? 'off' : 'on',
      UNIMETER_LOG_LEVEL: 'debug',
      UNIMETER_RETRY_MIN_DELAY_MS: '5',
      UNIMETER_RETRY_MAX_DELAY_MS: '50',
      // Suites make hundreds of requests per account in seconds; the gateway's own limits are
      // tested on their own (test/reliability/gateway-rate-limits.test.ts) with the defaults.
      UNIMETER_RATE_LIMIT_TOKEN: '1000000',
      UNIMETER_RATE_LIMIT_ACCOUNT: '1000000',
      // Suites send many bad tokens on purpose; the limit on failed authentication is tested in
      // test/reliability/auth-failure-limit.test.ts.
      UNIMETER_RATE_LIMIT_AUTH_FAILURES: '1000000',
      ...options.env,
    },
    logSink: (line) => logs.push(line),
    simulatorOptions: options.simulator,
  })
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${gateway.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${TEST_TOKEN}`, ...(init.headers as Record<string, string>) },
    })
  const closeGateway = gateway.close
  return Object.assign(gateway, {
    dir,
    dbPath,
    logs,
    api,
    async json(path: string, init?: RequestInit) {
      const res = await api(path, init)
      const text = await res.text()
      let body: unknown = text
      try {
        body = JSON.parse(text)
      } catch {
        /* keep text */
      }
      return { status: res.status, body: body as any, headers: res.headers }
    },
    close: async () => {
      await closeGateway()
      rmSync(dir, { recursive: true, force: true })
    },
  })
}

/** Walks every page of a unified list; returns all records and the number of pages. */
export async function walkAll(g: TestGateway, path: string): Promise<{ records: any[]; pages: number }> {
  const records: any[] = []
  let pages = 0
  let cursor: string | null = null
  do {
    const sep = path.includes('?') ? '&' : '?'
    const { status, body }: { status: number; body: any } = await g.json(
      `${path}${cursor ? `${sep}next_cursor=${encodeURIComponent(cursor)}` : ''}`,
    )
    if (status !== 200) throw new Error(`page ${pages + 1} failed: ${status} ${JSON.stringify(body)}`)
    records.push(...body.result)
    pages++
    cursor = body.next_cursor
    if (pages > 10_000) throw new Error('walk did not end')
  } while (cursor)
  return { records, pages }
}
