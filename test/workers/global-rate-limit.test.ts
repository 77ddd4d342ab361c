/**
 * The gateway's own rate limits on Workers are global: two Worker instances (two `wrangler dev`
 * processes, so two workerd runtimes and never a shared isolate) on one local D1 and one set of
 * Durable Objects. The first runs the project's wrangler.toml and hosts the RATE_LIMITER objects;
 * the second runs the same Worker code with the binding pointed at the first
 * (`script_name = "unimeter"`), which wrangler resolves through the local dev registry, as
 * Cloudflare does between deployed Workers. A budget spent on either is spent on both, with the
 * 429 envelope and headers Node sends; and when the objects are gone the second keeps serving,
 * counting in its own memory (fail-open) and logging why.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { refusal } from '../../src/routes/rate-limit'
import { REPO_ROOT } from './wrangler'
import { createWranglerState, startWranglerDev, type WranglerDev, type WranglerState } from './wrangler-dev'

const ADMIN = 'workers-global-limit-admin-token'
const TOKEN_LIMIT = 6
const ACCOUNT_LIMIT = 4
/** Long enough that no window ends during the test. */
const WINDOW_MS = 120_000
const VARS = {
  UNIMETER_ADMIN_TOKEN: ADMIN,
  UNIMETER_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64'),
  UNIMETER_LOG_LEVEL: 'warn',
  UNIMETER_RATE_LIMIT_TOKEN: String(TOKEN_LIMIT),
  UNIMETER_RATE_LIMIT_ACCOUNT: String(ACCOUNT_LIMIT),
  UNIMETER_RATE_LIMIT_WINDOW_MS: String(WINDOW_MS),
}

/** The second instance: the same Worker, D1 by the same name, the objects of the first Worker. */
function secondWorkerConfig(dir: string): string {
  const toml = readFileSync(resolve(REPO_ROOT, 'wrangler.toml'), 'utf8')
  const date = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)?.[1]
  const name = /^name\s*=\s*"([^"]+)"/m.exec(toml)?.[1]
  if (!date || !name) throw new Error('wrangler.toml has no name or compatibility_date')
  const path = join(dir, 'second-worker.toml')
  const at = (file: string) => JSON.stringify(resolve(REPO_ROOT, file))
  writeFileSync(
    path,
    [
      `name = "${name}-second"`,
      `main = ${at('src/runtime/workers/worker.ts')}`,
      `compatibility_date = "${date}"`,
      '[alias]',
      `"./simulator" = ${at('src/runtime/workers/no-simulator.ts')}`,
      '[[d1_databases]]',
      'binding = "DB"',
      'database_name = "unimeter"',
      `migrations_dir = ${at('src/db/migrations')}`,
      '[[durable_objects.bindings]]',
      'name = "RATE_LIMITER"',
      'class_name = "RateLimitObject"',
      `script_name = "${name}"`,
    ].join('\n'),
  )
  return path
}

let state: WranglerState
let first: WranglerDev
let second: WranglerDev

beforeAll(async () => {
  state = await createWranglerState()
  first = await startWranglerDev(VARS, { state })
  // Started after the first has built the bundled mapping files the second imports as they are.
  second = await startWranglerDev(VARS, { state, config: secondWorkerConfig(state.dir) })
}, 240_000)

afterAll(async () => {
  await second?.stop()
  await first?.stop()
  state?.remove()
})

function call(worker: WranglerDev, path: string, token: string): Promise<Response> {
  return fetch(`${worker.url}${path}`, { headers: { authorization: `Bearer ${token}` } })
}

/**
 * A request of the concurrent burst, to a route that reads nothing from D1 after the limit is
 * counted (/integrations). Two workerd processes reading one local SQLite file at once sometimes
 * fail the token lookup ("internal error", a 500 before anything is counted): a limit of this
 * local stand-in only, as a deployed D1 is one database and retries failed reads itself
 * (https://developers.cloudflare.com/changelog/2025-09-11-d1-automatic-read-retries/). Such a
 * 500 is asked again; any other answer is the limiter's.
 */
async function burstCall(worker: WranglerDev, token: string): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    const res = await call(worker, '/integrations', token)
    if (res.status !== 500 || attempt === 5) return res
    await res.body?.cancel()
  }
}

/** A new API token, created on the first instance: its own budget, and proof the D1 is shared. */
async function newToken(name: string): Promise<string> {
  const res = await fetch(`${first.url}/api-token`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  })
  expect(res.status, await res.clone().text()).toBe(201)
  return ((await res.json()) as { token: string }).token
}

/** A refusal must be the one Node sends: the same envelope, byte for byte, and the same headers. */
async function expectRefusal(res: Response, scope: 'token' | 'account', limit: number): Promise<void> {
  expect(res.status, await res.clone().text()).toBe(429)
  const seconds = Number(res.headers.get('retry-after'))
  expect(seconds).toBeGreaterThanOrEqual(1)
  expect(seconds).toBeLessThanOrEqual(WINDOW_MS / 1000)
  const node = refusal(scope, { limit, remaining: 0, resetMs: seconds * 1000, allowed: false }, WINDOW_MS)
  expect(await res.text()).toBe(JSON.stringify(node.toEnvelope()))
  for (const [name, value] of Object.entries(node.options.headers ?? {})) expect(res.headers.get(name), name).toBe(value)
}

describe('rate limits across two Worker instances', () => {
  it('one token budget: requests on both instances at once spend it exactly, then both refuse', async () => {
    const token = await newToken('split-across-instances')
    // One request on each first, one after the other: a token's first use writes last_used_at, and
    // that write, made by two workerd processes on one local SQLite file at once, sometimes fails
    // (a 500 from the token check, seen here): a limit of the local stand-in, as a deployed D1 is
    // one database behind every isolate.
    const warm = [await call(first, '/integrated-account?limit=1', token), await call(second, '/integrated-account?limit=1', token)]
    expect(warm.map((a) => a.headers.get('ratelimit-remaining'))).toEqual([String(TOKEN_LIMIT - 1), String(TOKEN_LIMIT - 2)])
    // Then twice the rest of the budget at once, half to each instance: exactly the rest gets through.
    const rest = TOKEN_LIMIT - 2
    const answers = await Promise.all(Array.from({ length: 2 * rest }, (_, i) => burstCall(i % 2 ? second : first, token)))
    const passed = answers.filter((a) => a.status === 200)
    expect(passed.length).toBe(rest)
    // Each passed request was counted once, in one sequence: remaining rest-1 … 0.
    const remaining = passed.map((a) => Number(a.headers.get('ratelimit-remaining'))).sort((a, b) => a - b)
    expect(remaining).toEqual(Array.from({ length: rest }, (_, i) => i))
    for (const a of passed) expect(a.headers.get('ratelimit-limit')).toBe(String(TOKEN_LIMIT))
    for (const refused of answers.filter((a) => a.status !== 200)) await expectRefusal(refused, 'token', TOKEN_LIMIT)
    await expectRefusal(await call(first, '/integrated-account?limit=1', token), 'token', TOKEN_LIMIT)
    await expectRefusal(await call(second, '/integrated-account?limit=1', token), 'token', TOKEN_LIMIT)
    // Another token is another budget.
    expect((await call(second, '/integrated-account?limit=1', await newToken('another'))).status).toBe(200)
  })

  it('one account budget: the N+1th request naming it on either instance is refused', async () => {
    const token = await newToken('account-budget')
    const path = '/integrated-account?limit=1&integrated_account_id=acct-global-limit'
    for (let i = 1; i <= ACCOUNT_LIMIT; i++) {
      const res = await call(i % 2 ? first : second, path, token)
      expect(res.status).toBe(200)
      expect(res.headers.get('ratelimit-limit')).toBe(String(ACCOUNT_LIMIT))
      expect(res.headers.get('ratelimit-remaining')).toBe(String(ACCOUNT_LIMIT - i))
    }
    await expectRefusal(await call(second, path, token), 'account', ACCOUNT_LIMIT)
    await expectRefusal(await call(first, path, token), 'account', ACCOUNT_LIMIT)
  })

  it('fails open when the objects are unreachable: the second instance counts in its memory and logs it', async () => {
    const token = await newToken('objects-gone')
    await first.stop()
    const res = await call(second, '/integrated-account?limit=1', token)
    expect(res.status).toBe(200)
    expect(res.headers.get('ratelimit-remaining')).toBe(String(TOKEN_LIMIT - 1))
    // wrangler prints the Worker's log lines a moment after the response.
    await expect.poll(() => second.output(), { timeout: 15_000 }).toMatch(/rate-limit Durable Object unreachable: counting in this isolate/)
    // Still a limit, per isolate, with the same refusal.
    for (let i = 2; i <= TOKEN_LIMIT; i++) expect((await call(second, '/integrated-account?limit=1', token)).status).toBe(200)
    await expectRefusal(await call(second, '/integrated-account?limit=1', token), 'token', TOKEN_LIMIT)
  })
})
