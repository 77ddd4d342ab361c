/**
 * The Workers rate-limit pieces on their own, fast: the Durable Object class over real SQLite
 * (better-sqlite3 standing in for the object's SQLite storage, which is SQLite too) against Node's
 * in-memory counter, and the store the Worker uses to reach the objects, including what it does
 * when they cannot be reached. The same classes under real workerd: global-rate-limit.test.ts.
 */
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createLogger } from '../../src/lib/logger'
import { memoryRateLimitStore } from '../../src/routes/rate-limit-store'
import { FixedWindowCounter, type WindowHit } from '../../src/routes/rate-limit-window'
import { durableRateLimitStore } from '../../src/runtime/workers/durable-rate-limit-store'
import { RateLimitObject, type RateLimitObjectState } from '../../src/runtime/workers/rate-limit-object'
import type { DurableObjectNamespaceBinding } from '../../src/runtime/workers/worker-env'

const WINDOW_MS = 10_000

/** A Durable Object's `storage.sql.exec` over a better-sqlite3 database. */
function sqliteState(db: Database.Database): RateLimitObjectState {
  const exec = (query: string, ...bindings: unknown[]) => {
    const statement = db.prepare(query)
    const rows = statement.reader ? statement.all(...bindings) : (statement.run(...bindings), [])
    return { toArray: () => rows }
  }
  return { storage: { sql: { exec } } }
}

async function ask(object: RateLimitObject, body: unknown): Promise<{ status: number; body: unknown }> {
  const res = await object.fetch(new Request('https://rate-limit.internal/hit', { method: 'POST', body: JSON.stringify(body) }))
  return { status: res.status, body: await res.json() }
}

/** A namespace of real RateLimitObjects, one per name, each on its own SQLite database. */
function objectNamespace(): DurableObjectNamespaceBinding & { names: Set<string> } {
  const objects = new Map<string, RateLimitObject>()
  const names = new Set<string>()
  return {
    names,
    idFromName: (name) => name,
    get: (id) => ({
      fetch: async (url, init) => {
        const name = String(id)
        names.add(name)
        if (!objects.has(name)) objects.set(name, new RateLimitObject(sqliteState(new Database(':memory:'))))
        return objects.get(name)!.fetch(new Request(url, init))
      },
    }),
  }
}

function unreachable(fetch: () => Promise<Response>): DurableObjectNamespaceBinding {
  return { idFromName: (name) => name, get: () => ({ fetch }) }
}

function logCollector() {
  const lines: Array<{ level: string; msg: string; error?: string }> = []
  return { lines, logger: createLogger('warn', (line) => lines.push(JSON.parse(line))) }
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(1_000_000)
})
afterEach(() => {
  vi.useRealTimers()
})

describe('RateLimitObject', () => {
  it("answers exactly what Node's in-memory counter answers, window by window", async () => {
    const object = new RateLimitObject(sqliteState(new Database(':memory:')))
    const node = new FixedWindowCounter(WINDOW_MS)
    // Through two windows: four allowed of three-per-window plus refusals, at uneven times.
    for (const at of [0, 100, 2_500, 4_000, 9_999, 10_000, 10_001, 12_000, 15_000, 19_999]) {
      vi.setSystemTime(1_000_000 + at)
      const answer = await ask(object, { limit: 3, windowMs: WINDOW_MS })
      expect(answer.status).toBe(200)
      expect(answer.body, `at +${at} ms`).toEqual(node.hit('k', 3, Date.now()))
    }
  })

  it('keeps its window across a restart (eviction, deploy): the budget is not handed out again', async () => {
    const db = new Database(':memory:')
    const before = new RateLimitObject(sqliteState(db))
    for (let i = 0; i < 2; i++) await ask(before, { limit: 2, windowMs: WINDOW_MS })
    vi.setSystemTime(1_003_000)
    const after = new RateLimitObject(sqliteState(db))
    expect((await ask(after, { limit: 2, windowMs: WINDOW_MS })).body).toEqual({ limit: 2, remaining: 0, resetMs: 7_000, allowed: false })
    vi.setSystemTime(1_010_000)
    expect((await ask(after, { limit: 2, windowMs: WINDOW_MS })).body).toEqual({ limit: 2, remaining: 1, resetMs: 10_000, allowed: true })
    // One row however many requests: the object's storage does not grow with traffic.
    expect(db.prepare('SELECT count(*) AS n FROM rate_window').get()).toEqual({ n: 1 })
  })

  it('refuses a malformed request with 400 and counts nothing', async () => {
    const object = new RateLimitObject(sqliteState(new Database(':memory:')))
    for (const body of [{}, { limit: 0, windowMs: 10 }, { limit: 2, windowMs: -1 }, { limit: '2', windowMs: 10 }]) {
      expect((await ask(object, body)).status).toBe(400)
    }
    const bad = await object.fetch(new Request('https://rate-limit.internal/hit', { method: 'POST', body: 'not json' }))
    expect(bad.status).toBe(400)
    expect((await ask(object, { limit: 2, windowMs: WINDOW_MS })).body).toMatchObject({ remaining: 1, allowed: true })
  })
})

describe('the Durable Object store', () => {
  it('asks one object per key and answers as the in-memory store does', async () => {
    const namespace = objectNamespace()
    const { lines, logger } = logCollector()
    const durable = durableRateLimitStore(namespace)(WINDOW_MS, logger)
    const memory = memoryRateLimitStore(WINDOW_MS)
    const keys = ['t:one', 'a:acct', 't:one', 't:one', 'a:acct', 't:one']
    for (const key of keys) expect(await durable.hit(key, 3)).toEqual(await memory.hit(key, 3))
    expect([...namespace.names].sort()).toEqual(['a:acct', 't:one'])
    expect(lines).toEqual([])
  })

  it('fails open to this isolate’s memory when the object errs, logging once per window', async () => {
    const { lines, logger } = logCollector()
    const store = durableRateLimitStore(unreachable(() => Promise.reject(new Error('Durable Object is overloaded'))))(WINDOW_MS, logger)
    const hits: WindowHit[] = []
    for (let i = 0; i < 3; i++) hits.push(await store.hit('t:one', 2))
    // Still limited, per isolate, meanwhile.
    expect(hits.map((h) => h.allowed)).toEqual([true, true, false])
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', error: 'Durable Object is overloaded' })])
    vi.setSystemTime(1_000_000 + WINDOW_MS)
    await store.hit('t:one', 2)
    expect(lines).toHaveLength(2)
  })

  it('treats an error status or a malformed answer as unreachable', async () => {
    const { lines, logger } = logCollector()
    const status = durableRateLimitStore(unreachable(async () => new Response('Worker "unimeter" not found', { status: 503 })))(
      WINDOW_MS,
      logger,
    )
    expect(await status.hit('t:one', 2)).toEqual({ limit: 2, remaining: 1, resetMs: WINDOW_MS, allowed: true })
    expect(lines[0].error).toMatch(/answered 503: Worker "unimeter" not found/)
    const malformed = durableRateLimitStore(unreachable(async () => Response.json({ allowed: 'yes' })))(WINDOW_MS, logger)
    expect((await malformed.hit('t:one', 2)).allowed).toBe(true)
    expect(lines).toHaveLength(2)
  })

  it('gives up on an object that does not answer in time', async () => {
    const { lines, logger } = logCollector()
    const store = durableRateLimitStore(
      unreachable(() => new Promise<Response>(() => {})),
      30,
    )(WINDOW_MS, logger)
    expect((await store.hit('t:one', 2)).allowed).toBe(true)
    expect(lines[0].error).toBe('no answer within 30 ms')
  })

  it('counts per isolate, saying so, when the RATE_LIMITER binding is missing', async () => {
    const { lines, logger } = logCollector()
    const store = durableRateLimitStore(undefined)(WINDOW_MS, logger)
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', msg: expect.stringMatching(/no RATE_LIMITER .* per isolate/) })])
    expect((await store.hit('t:one', 1)).allowed).toBe(true)
    expect((await store.hit('t:one', 1)).allowed).toBe(false)
  })
})
