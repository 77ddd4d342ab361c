import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { startSimulator } from '../../connectors/claude/simulator'
import { ClaudeWorld } from '../../connectors/claude/simulator/data'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit'

const REQUEST_ID = /^req_01[1-9A-HJ-NP-Za-km-z]{22}$/
const USER_ID = /^user_01[1-9A-HJ-NP-Za-km-z]{22}$/

interface User {
  id: string
  type: string
  email: string
  name: string
  role: string
  added_at: string
}
interface UserPage {
  data: User[]
  first_id: string | null
  has_more: boolean
  last_id: string | null
}
interface ReportRow {
  actor: { type: string; email_address?: string; api_key_name?: string }
  date: string
  terminal_type: string
  is_remote?: boolean
  [key: string]: unknown
}
interface ReportPage {
  data: ReportRow[]
  has_more: boolean
  next_page: string | null
}

let sim: RunningSimulator
let headers: Record<string, string>

async function call(
  sim: RunningSimulator,
  path: string,
  h: Record<string, string> = headers,
): Promise<{ status: number; body: any; res: Response }> {
  const res = await fetch(`${sim.baseUrl}${path}`, { headers: h })
  return { status: res.status, body: await res.json(), res }
}

const get = (path: string, h?: Record<string, string>) => call(sim, path, h)

async function allUsers(limit = 10): Promise<UserPage[]> {
  const pages: UserPage[] = []
  let after: string | null = null
  for (;;) {
    const { status, body } = await get(`/v1/organizations/users?limit=${limit}${after ? `&after_id=${after}` : ''}`)
    expect(status).toBe(200)
    pages.push(body)
    if (!body.has_more) return pages
    after = body.last_id
  }
}

async function reportPages(date: string, limit: number): Promise<ReportPage[]> {
  const pages: ReportPage[] = []
  let page: string | null = null
  for (;;) {
    const { status, body } = await get(
      `/v1/organizations/usage_report/claude_code?starting_at=${date}&limit=${limit}${page ? `&page=${encodeURIComponent(page)}` : ''}`,
    )
    expect(status).toBe(200)
    pages.push(body)
    if (!body.has_more) return pages
    page = body.next_page
  }
}

beforeAll(async () => {
  sim = await startSimulator({ seed: 7, users: 57 })
  headers = { 'x-api-key': sim.credentials.api_key, 'anthropic-version': '2023-06-01' }
})

afterAll(async () => {
  await sim.close()
})

describe('claude simulator: contract', () => {
  it('serves the vendor paths at the bare origin with the default admin key', () => {
    expect(sim.baseUrl).toBe(sim.origin)
    expect(sim.credentials).toEqual({ api_key: 'sk-ant-admin01-sandbox-unimeter' })
    expect(sim.context).toEqual({})
  })

  it('accepts a key chosen through the variant', async () => {
    const other = await startSimulator({ variant: { apiKey: 'sk-ant-admin01-other' } })
    try {
      expect(other.credentials.api_key).toBe('sk-ant-admin01-other')
      const ok = await call(other, '/v1/organizations/me', { 'x-api-key': 'sk-ant-admin01-other', 'anthropic-version': '2023-06-01' })
      expect(ok.status).toBe(200)
      const old = await call(other, '/v1/organizations/me', headers)
      expect(old.status).toBe(401)
    } finally {
      await other.close()
    }
  })
})

describe('claude simulator: auth', () => {
  it('rejects a wrong x-api-key with the exact Anthropic body and a matching request-id', async () => {
    const { status, body, res } = await get('/v1/organizations/users', {
      'x-api-key': 'sk-ant-admin01-wrong',
      'anthropic-version': '2023-06-01',
    })
    expect(status).toBe(401)
    expect(body).toEqual({
      type: 'error',
      error: { type: 'authentication_error', message: 'invalid x-api-key' },
      request_id: res.headers.get('request-id'),
    })
    expect(body.request_id).toMatch(REQUEST_ID)
  })

  it('rejects a missing x-api-key', async () => {
    const { status, body } = await get('/v1/organizations/users', { 'anthropic-version': '2023-06-01' })
    expect(status).toBe(401)
    expect(body.type).toBe('error')
    expect(body.error).toEqual({ type: 'authentication_error', message: 'x-api-key header is required' })
  })

  it('answers a missing anthropic-version with 400 invalid_request_error', async () => {
    const { status, body, res } = await get('/v1/organizations/users', { 'x-api-key': sim.credentials.api_key })
    expect(status).toBe(400)
    expect(body).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'anthropic-version: header is required' },
      request_id: res.headers.get('request-id'),
    })
  })

  it('puts a request-id header on successful answers too', async () => {
    const { status, body, res } = await get('/v1/organizations/me')
    expect(status).toBe(200)
    expect(res.headers.get('request-id')).toMatch(REQUEST_ID)
    expect(body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'Unimeter Sandbox', type: 'organization' })
  })

  it('uses the not_found_error body for an unknown path', async () => {
    const { status, body } = await get('/v1/organizations/nothing-here')
    expect(status).toBe(404)
    expect(body.error).toEqual({ type: 'not_found_error', message: 'Not Found' })
  })
})

describe('claude simulator: users', () => {
  it('walks 57 users 10 at a time with after_id, each id once, in added_at order', async () => {
    const pages = await allUsers(10)
    expect(pages.map((p) => p.data.length)).toEqual([10, 10, 10, 10, 10, 7])
    expect(pages.slice(0, -1).every((p) => p.has_more)).toBe(true)
    expect(pages[pages.length - 1].has_more).toBe(false)
    for (const p of pages) {
      expect(p.first_id).toBe(p.data[0].id)
      expect(p.last_id).toBe(p.data[p.data.length - 1].id)
    }
    const users = pages.flatMap((p) => p.data)
    expect(new Set(users.map((u) => u.id)).size).toBe(57)
    expect(new Set(users.map((u) => u.email)).size).toBe(57)
    const added = users.map((u) => u.added_at)
    expect([...added].sort()).toEqual(added)
    for (const u of users) {
      expect(u.id).toMatch(USER_ID)
      expect(u.type).toBe('user')
      expect(u.added_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/)
      expect(['user', 'developer', 'admin', 'billing', 'claude_code_user']).toContain(u.role)
      expect(Object.keys(u).sort()).toEqual(['added_at', 'email', 'id', 'name', 'role', 'type'])
    }
  })

  it('answers an empty page with null first_id/last_id and has_more false', async () => {
    const users = (await allUsers(100)).flatMap((p) => p.data)
    const { body } = await get(`/v1/organizations/users?after_id=${users[56].id}`)
    expect(body).toEqual({ data: [], first_id: null, has_more: false, last_id: null })
  })

  it('pages backwards with before_id, rows still oldest first', async () => {
    const users = (await allUsers(100)).flatMap((p) => p.data)
    const { body } = await get(`/v1/organizations/users?limit=5&before_id=${users[12].id}`)
    expect(body.data.map((u: User) => u.id)).toEqual(users.slice(7, 12).map((u) => u.id))
    expect(body.has_more).toBe(true)
    const start = await get(`/v1/organizations/users?limit=5&before_id=${users[3].id}`)
    expect(start.body.data.map((u: User) => u.id)).toEqual(users.slice(0, 3).map((u) => u.id))
    expect(start.body.has_more).toBe(false)
  })

  it('filters by exact email and by roles[] (OR)', async () => {
    const users = (await allUsers(100)).flatMap((p) => p.data)
    const target = users[33]
    const byEmail = await get(`/v1/organizations/users?email=${encodeURIComponent(target.email)}`)
    expect(byEmail.body).toEqual({ data: [target], first_id: target.id, has_more: false, last_id: target.id })
    const none = await get(`/v1/organizations/users?email=nobody%40example.com`)
    expect(none.body.data).toEqual([])

    const wanted = users.filter((u) => u.role === 'admin' || u.role === 'developer')
    const { body } = await get('/v1/organizations/users?limit=1000&roles[]=admin&roles[]=developer')
    expect(body.data).toEqual(wanted)
    const bad = await get('/v1/organizations/users?roles[]=superuser')
    expect(bad.status).toBe(400)
    expect(bad.body.error.type).toBe('invalid_request_error')
  })

  it('gets a user by id, and 404s unknown ids with not_found_error', async () => {
    const users = (await allUsers(100)).flatMap((p) => p.data)
    const one = await get(`/v1/organizations/users/${users[20].id}`)
    expect(one.status).toBe(200)
    expect(one.body).toEqual(users[20])
    for (const id of ['user_01WCz1FkmYMm4gnmykNKUu3Q', 'nope']) {
      const missing = await get(`/v1/organizations/users/${id}`)
      expect(missing.status).toBe(404)
      expect(missing.body).toEqual({
        type: 'error',
        error: { type: 'not_found_error', message: 'The requested resource could not be found.' },
        request_id: missing.res.headers.get('request-id'),
      })
    }
  })

  it('validates limit to 1..1000', async () => {
    for (const limit of ['0', '1001', 'abc', '-3']) {
      const { status, body } = await get(`/v1/organizations/users?limit=${limit}`)
      expect(status).toBe(400)
      expect(body.type).toBe('error')
      expect(body.error.type).toBe('invalid_request_error')
      expect(body.error.message).toMatch(/^limit: /)
    }
    const max = await get('/v1/organizations/users?limit=1000')
    expect(max.status).toBe(200)
    expect(max.body.data).toHaveLength(57)
    const dflt = await get('/v1/organizations/users')
    expect(dflt.body.data).toHaveLength(20)
  })

  it('rejects a malformed after_id', async () => {
    const { status, body } = await get('/v1/organizations/users?after_id=user_nonsense')
    expect(status).toBe(400)
    expect(body.error.type).toBe('invalid_request_error')
  })
})

describe('claude simulator: invites', () => {
  it('lists a few invites with the same pagination envelope', async () => {
    const { status, body } = await get('/v1/organizations/invites?limit=2')
    expect(status).toBe(200)
    expect(body.data).toHaveLength(2)
    expect(body.has_more).toBe(true)
    const all = (await get('/v1/organizations/invites')).body
    expect(all.has_more).toBe(false)
    expect(all.data.map((i: { status: string }) => i.status).sort()).toEqual(['accepted', 'expired', 'pending', 'pending', 'pending'])
    for (const invite of all.data) {
      expect(invite.id).toMatch(/^invite_01[1-9A-HJ-NP-Za-km-z]{22}$/)
      expect(invite.type).toBe('invite')
      expect(Date.parse(invite.expires_at)).toBeGreaterThan(Date.parse(invite.invited_at))
    }
    const rest = await get(`/v1/organizations/invites?after_id=${body.last_id}`)
    expect(rest.body.data.map((i: { id: string }) => i.id)).toEqual(all.data.slice(2).map((i: { id: string }) => i.id))
    const one = await get(`/v1/organizations/invites/${all.data[4].id}`)
    expect(one.body).toEqual(all.data[4])
  })
})

describe('claude simulator: claude_code usage report', () => {
  const DATE = '2026-02-10'

  it('requires starting_at as YYYY-MM-DD and validates limit', async () => {
    for (const q of ['', 'starting_at=2026-02-10T00:00:00Z', 'starting_at=2026-02-30', `starting_at=${DATE}&limit=1001`]) {
      const { status, body } = await get(`/v1/organizations/usage_report/claude_code?${q}`)
      expect(status).toBe(400)
      expect(body.error.type).toBe('invalid_request_error')
    }
  })

  it('pages one day with next_page; every page size yields the same rows', async () => {
    const whole = await reportPages(DATE, 1000)
    expect(whole).toHaveLength(1)
    expect(whole[0].next_page).toBeNull()
    const rows = whole[0].data

    const paged = await reportPages(DATE, 7)
    expect(paged.length).toBe(Math.ceil(rows.length / 7))
    expect(paged.slice(0, -1).every((p) => p.has_more && typeof p.next_page === 'string' && p.next_page.startsWith('page_'))).toBe(true)
    expect(paged[paged.length - 1].next_page).toBeNull()
    expect(paged.flatMap((p) => p.data)).toEqual(rows)
  })

  it('reports the active subset with the reference row shape', async () => {
    const users = (await allUsers(100)).flatMap((p) => p.data)
    const rows = (await reportPages(DATE, 1000))[0].data
    const me = (await get('/v1/organizations/me')).body
    const indexByEmail = new Map(users.map((u, i) => [u.email, i]))

    const userRows = rows.filter((r) => r.actor.type === 'user_actor')
    const actors = new Set(userRows.map((r) => indexByEmail.get(r.actor.email_address!)))
    expect([...actors].sort((a, b) => a! - b!)).toEqual(users.map((_, i) => i).filter((i) => i % 3 !== 2))
    // Some actors report a second row on another terminal; rows for one actor never share a
    // terminal and is_remote pair.
    expect(userRows.length).toBeGreaterThan(actors.size)
    const keys = userRows.map((r) => `${r.actor.email_address}|${r.terminal_type}|${r.is_remote}`)
    expect(new Set(keys).size).toBe(keys.length)
    expect(userRows.some((r) => 'is_remote' in r)).toBe(true)
    expect(userRows.some((r) => !('is_remote' in r))).toBe(true)

    for (const row of rows) {
      expect(row.date).toBe(`${DATE}T00:00:00Z`)
      expect(row.organization_id).toBe(me.id)
      expect(row.customer_type).toBeDefined()
      expect(row).toMatchObject({
        core_metrics: {
          commits_by_claude_code: expect.any(Number),
          lines_of_code: { added: expect.any(Number), removed: expect.any(Number) },
          num_sessions: expect.any(Number),
          pull_requests_by_claude_code: expect.any(Number),
        },
        tool_actions: {
          edit_tool: { accepted: expect.any(Number), rejected: expect.any(Number) },
          multi_edit_tool: { accepted: expect.any(Number), rejected: expect.any(Number) },
          notebook_edit_tool: { accepted: expect.any(Number), rejected: expect.any(Number) },
          write_tool: { accepted: expect.any(Number), rejected: expect.any(Number) },
        },
      })
      expect(row.model_breakdown).toEqual(
        expect.arrayContaining([
          {
            estimated_cost: { amount: expect.any(Number), currency: 'USD' },
            model: expect.stringMatching(/^claude-/),
            tokens: {
              cache_creation: expect.any(Number),
              cache_read: expect.any(Number),
              input: expect.any(Number),
              output: expect.any(Number),
            },
          },
        ]),
      )
    }
  })

  it('includes an api_actor row on some days', async () => {
    let found: ReportRow | undefined
    for (let d = 1; d <= 20 && !found; d++) {
      const date = `2026-03-${String(d).padStart(2, '0')}`
      found = (await reportPages(date, 1000))[0].data.find((r) => r.actor.type === 'api_actor')
    }
    expect(found?.actor).toEqual({ api_key_name: expect.any(String), type: 'api_actor' })
    expect(found?.subscription_type).toBeNull()
  })

  it('has no rows before anyone joined, and rejects a page token from another day', async () => {
    const { body } = await get('/v1/organizations/usage_report/claude_code?starting_at=2020-01-01')
    expect(body).toEqual({ data: [], has_more: false, next_page: null })
    const first = (await get(`/v1/organizations/usage_report/claude_code?starting_at=${DATE}&limit=3`)).body
    const wrongDay = await get(
      `/v1/organizations/usage_report/claude_code?starting_at=2026-02-11&page=${encodeURIComponent(first.next_page)}`,
    )
    expect(wrongDay.status).toBe(400)
    const garbage = await get(`/v1/organizations/usage_report/claude_code?starting_at=${DATE}&page=page_bm9wZQ==`)
    expect(garbage.status).toBe(400)
  })

  it('honours the subscription variants', async () => {
    const sub = await startSimulator({
      seed: 7,
      users: 6,
      variant: { customerType: 'subscription', subscriptionType: 'team', isRemote: 'never' },
    })
    try {
      const { body } = await call(sub, `/v1/organizations/usage_report/claude_code?starting_at=${DATE}`)
      const userRows = body.data.filter((r: ReportRow) => r.actor.type === 'user_actor')
      expect(userRows.length).toBeGreaterThan(0)
      for (const r of userRows) {
        expect(r.customer_type).toBe('subscription')
        expect(r.subscription_type).toBe('team')
        expect('is_remote' in r).toBe(false)
      }
    } finally {
      await sub.close()
    }
  })
})

describe('claude simulator: semantic faults', () => {
  it('empty-has-more: an empty users page that claims more', async () => {
    sim.faults.add({ fault: { kind: 'empty-has-more' }, path: '/v1/organizations/users' })
    const { body } = await get('/v1/organizations/users?limit=10')
    expect(body).toEqual({ data: [], first_id: null, has_more: true, last_id: null })
    expect((await get('/v1/organizations/users?limit=10')).body.data).toHaveLength(10)
  })

  it('repeat-cursor: the page ending at after_id again, so last_id does not advance', async () => {
    const first = (await get('/v1/organizations/users?limit=10')).body
    sim.faults.add({ fault: { kind: 'repeat-cursor' }, path: '/v1/organizations/users' })
    const repeated = (await get(`/v1/organizations/users?limit=10&after_id=${first.last_id}`)).body
    expect(repeated).toEqual({ ...first, has_more: true })
    expect(repeated.last_id).toBe(first.last_id)
  })

  it('oversized-page: factor × limit rows (default 5)', async () => {
    sim.faults.add({ fault: { kind: 'oversized-page' }, path: '/v1/organizations/users' })
    const big = (await get('/v1/organizations/users?limit=4')).body
    expect(big.data).toHaveLength(20)
    expect(big.has_more).toBe(true)
    expect(big.last_id).toBe(big.data[19].id)
    sim.faults.add({ fault: { kind: 'oversized-page', factor: 2 }, path: '/v1/organizations/users' })
    expect((await get('/v1/organizations/users?limit=4')).body.data).toHaveLength(8)
  })

  it('applies the same faults to the usage report cursor', async () => {
    const url = `/v1/organizations/usage_report/claude_code?starting_at=2026-02-10&limit=5`
    const normal = (await get(url)).body
    sim.faults.add({ fault: { kind: 'empty-has-more' }, path: 'usage_report' })
    const empty = (await get(url)).body
    expect(empty.data).toEqual([])
    expect(empty.has_more).toBe(true)
    expect((await get(`${url}&page=${encodeURIComponent(empty.next_page)}`)).body).toEqual(normal)
    sim.faults.add({ fault: { kind: 'repeat-cursor' }, path: 'usage_report' })
    const again = (await get(url)).body
    expect(again.data).toEqual(normal.data)
    expect((await get(`${url}&page=${encodeURIComponent(again.next_page)}`)).body).toEqual(normal)
    sim.faults.add({ fault: { kind: 'oversized-page', factor: 3 }, path: 'usage_report' })
    expect((await get(url)).body.data).toHaveLength(15)
  })
})

describe('claude simulator: transport faults', () => {
  it('429 carries retry-after 1 by default, in the rate_limit_error body', async () => {
    sim.faults.add({ fault: { kind: 'rate-limit' }, path: '/v1/organizations/users' })
    const { status, body, res } = await get('/v1/organizations/users')
    expect(status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('1')
    expect(body).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: expect.any(String) },
      request_id: res.headers.get('request-id'),
    })
  })

  it('429 without retry-after when the fault says so (e.g. a spend-cap 429)', async () => {
    sim.faults.add({ fault: { kind: 'rate-limit', retryAfter: null }, path: '/v1/organizations/users' })
    const { status, body, res } = await get('/v1/organizations/users')
    expect(status).toBe(429)
    expect(res.headers.get('retry-after')).toBeNull()
    expect(body.error.type).toBe('rate_limit_error')
  })

  it('maps injected statuses to the documented error types', async () => {
    const expected: Record<number, string> = { 402: 'billing_error', 403: 'permission_error', 500: 'api_error', 529: 'overloaded_error' }
    for (const [status, type] of Object.entries(expected)) {
      sim.faults.add({ fault: { kind: 'status', status: Number(status) }, path: '/v1/organizations/me' })
      const r = await get('/v1/organizations/me')
      expect(r.status).toBe(Number(status))
      expect(r.body.error.type).toBe(type)
      expect(r.body.request_id).toBe(r.res.headers.get('request-id'))
    }
  })
})

describe('claude simulator: determinism and scale', () => {
  it('answers identically for the same seed, differently for another', async () => {
    const a = await startSimulator({ seed: 99, users: 30 })
    const b = await startSimulator({ seed: 99, users: 30 })
    const c = await startSimulator({ seed: 100, users: 30 })
    try {
      const paths = [
        '/v1/organizations/me',
        '/v1/organizations/users?limit=30',
        '/v1/organizations/invites',
        '/v1/organizations/usage_report/claude_code?starting_at=2026-01-15&limit=1000',
      ]
      for (const path of paths) {
        const [ra, rb, rc] = await Promise.all([call(a, path), call(b, path), call(c, path)])
        expect(rb.body).toEqual(ra.body)
        expect(rc.body).not.toEqual(ra.body)
      }
    } finally {
      await Promise.all([a.close(), b.close(), c.close()])
    }
  })

  it("mints ids that decode back to their index for any seed, and rejects other seeds' ids", () => {
    for (let seed = 0; seed < 300; seed++) {
      const world = new ClaudeWorld({ seed, users: 1_000_000, domain: 'example.com', roleSet: 'console', orgName: 'x' })
      const other = new ClaudeWorld({ seed: seed + 1, users: 1_000_000, domain: 'example.com', roleSet: 'console', orgName: 'x' })
      for (const i of [0, 1, 56, 999_999]) {
        const id = world.users.idOf(i)
        expect(id).toMatch(USER_ID)
        expect(world.users.indexOf(id)).toBe(i)
        expect(other.users.indexOf(id)).toBeUndefined()
      }
    }
  })

  it('serves a million users without materialising them', async () => {
    const big = await startSimulator({ seed: 3, users: 1_000_000 })
    try {
      const world = new ClaudeWorld({ seed: 3, users: 1_000_000, domain: 'example.com', roleSet: 'console', orgName: 'x' })
      const near = world.users.idOf(999_990)
      const tail = (await call(big, `/v1/organizations/users?limit=20&after_id=${near}`)).body
      expect(tail.data).toHaveLength(9)
      expect(tail.has_more).toBe(false)
      expect(tail.data[8].email).toMatch(/\.999999@example\.com$/)
      const one = await call(big, `/v1/organizations/users/${world.users.idOf(999_999)}`)
      expect(one.body.id).toBe(world.users.idOf(999_999))
      const beyond = await call(big, `/v1/organizations/users/${world.users.idOf(1_000_000)}`)
      expect(beyond.status).toBe(404)

      const report = (await call(big, '/v1/organizations/usage_report/claude_code?starting_at=2026-02-10&limit=1000')).body
      expect(report.data).toHaveLength(1000)
      expect(report.has_more).toBe(true)
      const next = (
        await call(
          big,
          `/v1/organizations/usage_report/claude_code?starting_at=2026-02-10&limit=1000&page=${encodeURIComponent(report.next_page)}`,
        )
      ).body
      expect(next.data).toHaveLength(1000)
      expect(next.data[0]).not.toEqual(report.data[999])
    } finally {
      await big.close()
    }
  })
})
