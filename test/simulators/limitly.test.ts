import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { startSimulator, LimitlyData } from '../../connectors/limitly/simulator'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit'

interface User {
  user_id: number
  name: string
  email?: string
  is_disabled: boolean
  created_at: string
  updated_at: string
  plan?: { id: string; name: string; max_requests: number; request_period: string }
}

let sdk: RunningSimulator
let docs: RunningSimulator

function auth(sim: RunningSimulator): Record<string, string> {
  return { authorization: `Bearer ${sim.credentials.api_key}` }
}

async function get(sim: RunningSimulator, path: string, headers = auth(sim)): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await fetch(sim.baseUrl + path, { headers })
  return { status: res.status, headers: res.headers, body: await res.json() }
}

/** Walks `/users` the way a connector must: until a page comes back shorter than the limit. */
async function walkUsers(sim: RunningSimulator, limit: number): Promise<{ users: User[]; pages: number; counts: number[] }> {
  const users: User[] = []
  const counts: number[] = []
  for (let page = 1; page < 1000; page++) {
    const { status, body } = await get(sim, `/users?page=${page}&limit=${limit}`)
    expect(status).toBe(200)
    users.push(...body.data)
    counts.push(body.count)
    if (body.data.length < limit) return { users, pages: page, counts }
  }
  throw new Error('pagination never ended')
}

beforeAll(async () => {
  sdk = await startSimulator({ users: 57 })
  docs = await startSimulator({ users: 57, variant: { envelope: 'docs' } })
})

afterAll(async () => {
  await Promise.all([sdk?.close(), docs?.close()])
})

describe('limitly simulator: auth', () => {
  it('serves /functions/v1 with an lk_ owner key', () => {
    expect(sdk.baseUrl).toBe(`${sdk.origin}/functions/v1`)
    expect(sdk.credentials.api_key).toMatch(/^lk_[0-9a-f]{32}$/)
  })

  it('rejects a wrong key with the exact Limitly body in each envelope', async () => {
    const bad = { authorization: 'Bearer lk_00000000000000000000000000000000' }
    const s = await get(sdk, '/users', bad)
    expect(s.status).toBe(401)
    expect(s.body).toEqual({ success: false, error: 'Invalid API key', code: 'INVALID_API_KEY' })
    const d = await get(docs, '/users', bad)
    expect(d.status).toBe(401)
    expect(d.body).toEqual({ error: 'Invalid API key', code: 'INVALID_API_KEY' })
  })

  it('rejects a missing Authorization header as UNAUTHORIZED', async () => {
    const d = await get(docs, '/users/1001', {})
    expect(d.status).toBe(401)
    expect(d.body).toEqual({ error: 'Missing or invalid authorization header', code: 'UNAUTHORIZED' })
  })

  it('accepts an overridden key and only that key', async () => {
    const sim = await startSimulator({ variant: { apiKey: 'lk_custom0000000000000000000000000' } })
    try {
      expect((await get(sim, '/users')).status).toBe(200)
      expect(sim.credentials.api_key).toBe('lk_custom0000000000000000000000000')
      expect((await get(sim, '/users', { authorization: 'Bearer lk_wrong' })).status).toBe(401)
    } finally {
      await sim.close()
    }
  })
})

describe('limitly simulator: users list', () => {
  for (const [name, pick] of [
    ['sdk', () => sdk],
    ['docs', () => docs],
  ] as const) {
    it(`walks 57 users at limit 10 and returns each once (${name} envelope)`, async () => {
      const sim = pick()
      const { users, pages, counts } = await walkUsers(sim, 10)
      expect(pages).toBe(6)
      expect(counts.every((c) => c === 57)).toBe(true)
      expect(users).toHaveLength(57)
      const ids = users.map((u) => u.user_id)
      expect(new Set(ids).size).toBe(57)
      expect(ids).toEqual(Array.from({ length: 57 }, (_, i) => 1001 + i))
      const first = await get(sim, '/users')
      expect(first.body.data).toHaveLength(10)
      if (name === 'sdk') expect(first.body.success).toBe(true)
      else expect(first.body).not.toHaveProperty('success')
    })
  }

  it('serves users in the SDK User shape, some without email or plan', async () => {
    const { users } = await walkUsers(sdk, 100)
    for (const u of users) {
      expect(typeof u.user_id).toBe('number')
      expect(typeof u.name).toBe('string')
      expect(typeof u.is_disabled).toBe('boolean')
      expect(u.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
      expect(Date.parse(u.updated_at)).toBeGreaterThanOrEqual(Date.parse(u.created_at))
      if (u.plan) expect(u.plan.id).toMatch(/^plan_/)
    }
    expect(users.some((u) => u.email === undefined)).toBe(true)
    expect(users.some((u) => u.plan === undefined)).toBe(true)
    expect(users.some((u) => u.is_disabled)).toBe(true)
  })

  it('filters by email', async () => {
    const { users } = await walkUsers(sdk, 100)
    const target = users.find((u) => u.email)!
    const hit = await get(sdk, `/users?email=${encodeURIComponent(target.email!)}`)
    expect(hit.body.data).toEqual([target])
    expect(hit.body.count).toBe(1)
    const miss = await get(sdk, '/users?email=nobody%40example.com')
    expect(miss.body).toEqual({ success: true, data: [], count: 0 })
  })

  it('answers a bad page or limit with VALIDATION_ERROR', async () => {
    const over = await get(docs, '/users?limit=101')
    expect(over.status).toBe(400)
    expect(over.body).toEqual({
      error: 'Validation failed',
      code: 'VALIDATION_ERROR',
      details: { field: 'limit', message: 'limit must be an integer between 1 and 100' },
    })
    expect((await get(docs, '/users?limit=100')).status).toBe(200)
    expect((await get(docs, '/users?page=0')).status).toBe(400)
    expect((await get(docs, '/users?page=abc')).body.code).toBe('VALIDATION_ERROR')
  })

  it('returns an empty page past the end with the total count', async () => {
    const past = await get(sdk, '/users?page=99&limit=10')
    expect(past.body).toEqual({ success: true, data: [], count: 57 })
  })
})

describe('limitly simulator: single records', () => {
  it('gets a user, 404s an unknown one and 400s a non-numeric id', async () => {
    const list = await get(docs, '/users?limit=3')
    const one = await get(docs, '/users/1002')
    expect(one.status).toBe(200)
    expect(one.body).toEqual({ data: list.body.data[1] })
    const sdkOne = await get(sdk, '/users/1002')
    expect(sdkOne.body).toEqual({ success: true, data: list.body.data[1] })

    const missing = await get(docs, '/users/999999')
    expect(missing.status).toBe(404)
    expect(missing.body).toEqual({ error: 'User not found', code: 'USER_NOT_FOUND' })
    expect((await get(sdk, '/users/1000')).body).toEqual({ success: false, error: 'User not found', code: 'USER_NOT_FOUND' })

    const bad = await get(docs, '/users/abc')
    expect(bad.status).toBe(400)
    expect(bad.body.code).toBe('VALIDATION_ERROR')
  })

  it('reports user usage against the plan quota', async () => {
    const { users } = await walkUsers(docs, 100)
    const planned = users.find((u) => u.plan)!
    const usage = await get(docs, `/users/${planned.user_id}/usage`)
    expect(usage.status).toBe(200)
    const d = usage.body.data
    expect(d).toMatchObject({
      type: 'user',
      user_name: planned.name,
      plan_name: planned.plan!.name,
      limit: planned.plan!.max_requests,
      is_unlimited: false,
    })
    expect(d.percentage_used).toBe(Math.round((d.current_usage / d.limit) * 10000) / 100)
    expect(Date.parse(d.period_end)).toBeGreaterThan(Date.parse(d.period_start))

    const unplanned = users.find((u) => !u.plan)!
    const free = (await get(docs, `/users/${unplanned.user_id}/usage`)).body.data
    expect(free.is_unlimited).toBe(true)
    expect(free).not.toHaveProperty('limit')
  })

  it('lists and gets plans', async () => {
    const plans = await get(docs, '/plans')
    expect(plans.body.count).toBe(plans.body.data.length)
    for (const p of plans.body.data) {
      expect(p.id).toMatch(/^plan_/)
      expect(['day', 'week', 'month', 'year']).toContain(p.request_period)
      expect(typeof p.max_requests).toBe('number')
    }
    const one = await get(docs, `/plans/${plans.body.data[2].id}`)
    expect(one.body).toEqual({ data: plans.body.data[2] })
    const missing = await get(docs, '/plans/plan_nope')
    expect(missing.status).toBe(404)
    expect(missing.body).toEqual({ error: 'Plan not found', code: 'PLAN_NOT_FOUND' })
  })

  it('lists keys and serves key usage in the docs shape', async () => {
    const keys = await get(docs, '/keys?limit=5')
    expect(keys.body.count).toBe(57)
    expect(keys.body.data).toHaveLength(5)
    const key = keys.body.data[0]
    expect(key).not.toHaveProperty('api_key')
    expect(key.user_id).toBe(1001)
    const usage = await get(docs, `/keys/${key.id}/usage`)
    expect(Object.keys(usage.body.data).sort()).toEqual(['current_usage', 'limit', 'period', 'remaining', 'reset_time'])
    expect((await get(docs, '/keys/key_nope/usage')).body).toEqual({ error: 'API key not found', code: 'API_KEY_NOT_FOUND' })
  })

  it('validates an end-user key and counts the request', async () => {
    const data = new LimitlyData(42, 57)
    const index = Array.from({ length: 57 }, (_, i) => i).find((i) => {
      const u = data.user(i)
      return u.plan && !u.is_disabled && data.baseUsage(i) < u.plan.max_requests
    })!
    const before = (await get(docs, `/users/${1001 + index}/usage`)).body.data.current_usage
    const res = await fetch(`${docs.baseUrl}/validate`, {
      method: 'POST',
      headers: { ...auth(docs), 'content-type': 'application/json' },
      body: JSON.stringify({ api_key: data.endUserApiKey(index), endpoint: '/api/users', method: 'GET' }),
    })
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body.success).toBe(true)
    expect(body.details.current_usage).toBe(before + 1)
    expect(res.headers.get('x-ratelimit-plan')).toBe(data.user(index).plan!.name)

    const unknown = await fetch(`${docs.baseUrl}/validate`, {
      method: 'POST',
      headers: { ...auth(docs), 'content-type': 'application/json' },
      body: JSON.stringify({ api_key: 'lk_user_ffffffff000000000000000000000000', endpoint: '/x', method: 'GET' }),
    })
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toEqual({ success: false, error: 'API key not found', code: 'API_KEY_NOT_FOUND' })
  })
})

describe('limitly simulator: rate limit', () => {
  it('sends no X-RateLimit-* headers on account endpoints (the docs show them on /validate only)', async () => {
    const a = await get(docs, '/plans')
    expect(a.status).toBe(200)
    for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) expect(a.headers.get(h)).toBeNull()
  })

  it('answers 429 RATE_LIMIT_EXCEEDED without Retry-After once the key runs out', async () => {
    const sim = await startSimulator({ users: 5, variant: { rateLimit: '3' } })
    try {
      // Seven calls hold at least four in one window, whatever the clock does.
      const results = []
      for (let i = 0; i < 7; i++) results.push(await get(sim, '/users'))
      const limited = results.find((r) => r.status === 429)!
      expect(limited).toBeDefined()
      expect(limited.body).toEqual({ success: false, error: 'Rate limit exceeded', code: 'RATE_LIMIT_EXCEEDED' })
      expect(limited.headers.get('retry-after')).toBeNull()
      expect(limited.headers.get('x-ratelimit-remaining')).toBeNull()
    } finally {
      await sim.close()
    }
  })

  it('injects a 429 in the same shape', async () => {
    docs.faults.add({ fault: { kind: 'rate-limit' }, path: '/users' })
    const r = await get(docs, '/users')
    expect(r.status).toBe(429)
    expect(r.body).toEqual({ error: 'Rate limit exceeded', code: 'RATE_LIMIT_EXCEEDED' })
    expect(r.headers.get('retry-after')).toBeNull()
  })
})

describe('limitly simulator: semantic faults', () => {
  it('oversized-page returns more rows than the limit', async () => {
    sdk.faults.add({ fault: { kind: 'oversized-page' }, path: '/users' })
    const r = await get(sdk, '/users?page=1&limit=10')
    expect(r.body.data).toHaveLength(20)
    expect(r.body.count).toBe(57)
    expect((await get(sdk, '/users?page=1&limit=10')).body.data).toHaveLength(10)
  })

  it('repeat-cursor ignores the page parameter', async () => {
    const first = await get(sdk, '/users?page=1&limit=10')
    sdk.faults.add({ fault: { kind: 'repeat-cursor' }, path: '/users' })
    const third = await get(sdk, '/users?page=3&limit=10')
    expect(third.body.data).toEqual(first.body.data)
  })

  it('empty-has-more empties a non-final page and keeps the count', async () => {
    sdk.faults.add({ fault: { kind: 'empty-has-more' }, path: '/users' })
    const last = await get(sdk, '/users?page=6&limit=10')
    expect(last.body.data).toHaveLength(7)
    const r = await get(sdk, '/users?page=2&limit=10')
    expect(r.body).toEqual({ success: true, data: [], count: 57 })
    expect((await get(sdk, '/users?page=2&limit=10')).body.data).toHaveLength(10)
  })
})

describe('limitly simulator: determinism and scale', () => {
  it('serves the same data for the same seed and different data for another', async () => {
    const again = await startSimulator({ users: 57 })
    const other = await startSimulator({ users: 57, seed: 7 })
    try {
      const a = await get(sdk, '/users?page=2&limit=25')
      const b = await get(again, '/users?page=2&limit=25')
      const c = await get(other, '/users?page=2&limit=25')
      expect(b.body).toEqual(a.body)
      expect(c.body).not.toEqual(a.body)
      expect(again.credentials).toEqual(sdk.credentials)
    } finally {
      await Promise.all([again.close(), other.close()])
    }
  })

  it('pages into a million users without building them all', async () => {
    const big = await startSimulator({ users: 1_000_000 })
    try {
      const r = await get(big, '/users?page=100000&limit=10')
      expect(r.body.count).toBe(1_000_000)
      expect(r.body.data.map((u: User) => u.user_id)).toEqual(Array.from({ length: 10 }, (_, i) => 1001 + 999_990 + i))
      expect((await get(big, '/users/1001000')).body.data.user_id).toBe(1_001_000)
      expect((await get(big, '/users/1001001')).status).toBe(404)
    } finally {
      await big.close()
    }
  })
})

describe('limitly simulator: run-time record edits (/__sim/records)', () => {
  const control = (sim: RunningSimulator, method: string, body?: unknown) =>
    fetch(`${sim.origin}/__sim/records`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })

  it('changes and removes users in the list, its count, the get and the usage, until cleared', async () => {
    const sim = await startSimulator({ users: 12 })
    try {
      const before = (await walkUsers(sim, 5)).users
      const [changed, removed] = [before[2], before[7]]
      expect(
        (
          await control(sim, 'POST', [
            { collection: 'users', id: String(changed.user_id), set: { name: 'Edited Name', is_disabled: true } },
            { collection: 'users', id: String(removed.user_id), remove: true },
          ])
        ).status,
      ).toBe(200)

      const after = await walkUsers(sim, 5)
      expect(after.users).toHaveLength(11)
      expect(after.counts.every((c) => c === 11)).toBe(true)
      expect(after.users.find((u) => u.user_id === changed.user_id)).toEqual({ ...changed, name: 'Edited Name', is_disabled: true })
      expect(after.users.some((u) => u.user_id === removed.user_id)).toBe(false)
      expect((await get(sim, `/users/${changed.user_id}`)).body.data).toMatchObject({
        user_id: changed.user_id,
        name: 'Edited Name',
        is_disabled: true,
      })
      expect((await get(sim, `/users/${changed.user_id}/usage`)).body.data.user_name).toBe('Edited Name')
      expect((await get(sim, `/users/${removed.user_id}`)).status).toBe(404)
      expect((await get(sim, `/users/${removed.user_id}/usage`)).status).toBe(404)
      if (removed.email)
        expect((await get(sim, `/users?email=${encodeURIComponent(removed.email)}`)).body).toMatchObject({ data: [], count: 0 })

      expect((await control(sim, 'DELETE')).status).toBe(200)
      expect((await walkUsers(sim, 5)).users).toEqual(before)
    } finally {
      await sim.close()
    }
  })
})
