import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { startSimulator } from '../../connectors/openai-codex/simulator'
import { OpenAIWorld, type OpenAIUser } from '../../connectors/openai-codex/simulator/data'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit'

const USER_ID = /^user-[1-9A-HJ-NP-Za-km-z]{24}$/

/** A user as the simulator serves it (its own type: the body is checked against it). */
type User = OpenAIUser
interface UserList {
  object: 'list'
  data: User[]
  first_id: string | null
  last_id: string | null
  has_more: boolean
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

async function allUsers(limit = 10): Promise<UserList[]> {
  const pages: UserList[] = []
  let after: string | null = null
  for (;;) {
    const { status, body } = await get(`/organization/users?limit=${limit}${after ? `&after=${after}` : ''}`)
    expect(status).toBe(200)
    pages.push(body)
    if (!body.has_more) return pages
    after = body.last_id
  }
}

beforeAll(async () => {
  sim = await startSimulator({ seed: 11, users: 57 })
  headers = { authorization: `Bearer ${sim.credentials.api_key}` }
})

afterAll(async () => {
  await sim.close()
})

describe('openai-codex simulator: contract', () => {
  it('mounts the API under /v1 with the default admin key', () => {
    expect(sim.baseUrl).toBe(`${sim.origin}/v1`)
    expect(sim.credentials).toEqual({ api_key: 'sk-admin-sandbox-unimeter', analytics_api_key: 'sk-proj-codex-analytics-sandbox-unimeter' })
    expect(sim.context).toEqual({ workspace_id: '5f0c1b7e-2d4a-4c8e-9a31-7b6d0e2f4c19' })
  })

  it('accepts a key chosen through the variant', async () => {
    const other = await startSimulator({ variant: { apiKey: 'sk-admin-other' } })
    try {
      expect((await call(other, '/organization/users', { authorization: 'Bearer sk-admin-other' })).status).toBe(200)
      expect((await call(other, '/organization/users', headers)).status).toBe(401)
    } finally {
      await other.close()
    }
  })
})

describe('openai-codex simulator: auth', () => {
  it('rejects a wrong key with the exact OpenAI body, the key masked', async () => {
    const { status, body, res } = await get('/organization/users', { authorization: 'Bearer sk-admin-not-the-right-key' })
    expect(status).toBe(401)
    expect(body).toEqual({
      error: {
        message:
          'Incorrect API key provided: sk-admin**************-key. You can find your API key at https://platform.openai.com/account/api-keys.',
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      },
    })
    expect(res.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/)
  })

  it('rejects a missing or non-Bearer Authorization the way OpenAI does (code null)', async () => {
    for (const h of [
      {} as Record<string, string>,
      { authorization: `Basic ${Buffer.from('sk-admin-sandbox-unimeter:').toString('base64')}` },
    ]) {
      const { status, body } = await get('/organization/users', h)
      expect(status).toBe(401)
      expect(body).toEqual({
        error: {
          message: expect.stringMatching(/^You didn't provide an API key\./),
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      })
    }
  })

  it('answers an unknown path with OpenAI\'s "Invalid URL" body', async () => {
    const { status, body } = await get('/organization/nothing')
    expect(status).toBe(404)
    expect(body).toEqual({
      error: { message: 'Invalid URL (GET /v1/organization/nothing)', type: 'invalid_request_error', param: null, code: null },
    })
  })
})

describe('openai-codex simulator: users', () => {
  it('walks 57 users 10 at a time with after, each id once, in added_at order', async () => {
    const pages = await allUsers(10)
    expect(pages.map((p) => p.data.length)).toEqual([10, 10, 10, 10, 10, 7])
    expect(pages.map((p) => p.has_more)).toEqual([true, true, true, true, true, false])
    for (const p of pages) {
      expect(p.object).toBe('list')
      expect(p.first_id).toBe(p.data[0].id)
      expect(p.last_id).toBe(p.data[p.data.length - 1].id)
    }
    const users = pages.flatMap((p) => p.data)
    expect(new Set(users.map((u) => u.id)).size).toBe(57)
    const added = users.map((u) => u.added_at)
    expect([...added].sort((a, b) => a - b)).toEqual(added)
    for (const u of users) {
      expect(u.object).toBe('organization.user')
      expect(u.id).toMatch(USER_ID)
      expect(Number.isInteger(u.added_at)).toBe(true)
      expect(['owner', 'reader']).toContain(u.role)
    }
    expect(users.filter((u) => u.role === 'reader').length).toBeGreaterThan(users.length / 2)
  })

  it('mixes minimal users with users carrying the optional fields, some disabled or banned', async () => {
    const users = (await allUsers(100)).flatMap((p) => p.data)
    const minimal = users.filter((u) => u.user === undefined)
    const extended = users.filter((u) => u.user !== undefined)
    expect(minimal.length).toBeGreaterThan(0)
    expect(extended.length).toBeGreaterThan(minimal.length)
    for (const u of minimal) expect(Object.keys(u).sort()).toEqual(['added_at', 'email', 'id', 'name', 'object', 'role'])
    for (const u of extended) {
      expect(u.created).toBeLessThanOrEqual(u.added_at)
      expect(u.api_key_last_used_at === null || Number.isInteger(u.api_key_last_used_at)).toBe(true)
      expect(typeof u.is_service_account).toBe('boolean')
      expect(u.user).toMatchObject({
        object: 'user',
        id: u.id,
        email: u.email,
        name: u.name,
        picture: expect.stringMatching(/^https:\/\//),
      })
      expect(u.projects?.object).toBe('list')
      expect(u.projects!.data.length).toBeGreaterThan(0)
      for (const p of u.projects!.data) expect(p.id).toMatch(/^proj_[1-9A-HJ-NP-Za-km-z]{24}$/)
    }
    expect(extended.some((u) => u.user!.enabled === false)).toBe(true)
    const banned = extended.filter((u) => u.user!.banned)
    expect(banned.length).toBeGreaterThan(0)
    for (const u of banned) expect(Number.isInteger(u.user!.banned_at)).toBe(true)
    expect(extended.some((u) => u.api_key_last_used_at === null)).toBe(true)
  })

  it('honours the fields variant', async () => {
    const full = await startSimulator({ seed: 11, users: 8, variant: { fields: 'full' } })
    const minimal = await startSimulator({ seed: 11, users: 8, variant: { fields: 'minimal' } })
    try {
      expect((await call(full, '/organization/users')).body.data.every((u: User) => u.user !== undefined)).toBe(true)
      expect(
        (await call(minimal, '/organization/users')).body.data.every((u: User) => u.user === undefined && u.projects === undefined),
      ).toBe(true)
    } finally {
      await Promise.all([full.close(), minimal.close()])
    }
  })

  it('answers past the end with an empty list and null ids', async () => {
    const users = (await allUsers(100)).flatMap((p) => p.data)
    const { body } = await get(`/organization/users?after=${users[56].id}`)
    expect(body).toEqual({ object: 'list', data: [], first_id: null, last_id: null, has_more: false })
  })

  it('filters by emails (repeatable, both spellings)', async () => {
    const users = (await allUsers(100)).flatMap((p) => p.data)
    const q = `emails[]=${encodeURIComponent(users[40].email)}&emails=${encodeURIComponent(users[3].email)}&emails[]=ghost%40example.com`
    const { body } = await get(`/organization/users?${q}`)
    expect(body.data).toEqual([users[3], users[40]])
    expect(body.has_more).toBe(false)
    const paged = await get(`/organization/users?${q}&limit=1`)
    expect(paged.body.data).toEqual([users[3]])
    expect(paged.body.has_more).toBe(true)
  })

  it("gets a user by id, and 404s unknown ids in OpenAI's shape", async () => {
    const users = (await allUsers(100)).flatMap((p) => p.data)
    const one = await get(`/organization/users/${users[17].id}`)
    expect(one.status).toBe(200)
    expect(one.body).toEqual(users[17])
    const missing = await get('/organization/users/user-abc')
    expect(missing.status).toBe(404)
    expect(missing.body).toEqual({ error: { message: 'No such user: user-abc', type: 'invalid_request_error', param: null, code: null } })
  })

  it('validates limit to 1..100', async () => {
    const cases: Array<[string, string]> = [
      ['0', 'integer_below_min_value'],
      ['101', 'integer_above_max_value'],
      ['ten', 'invalid_type'],
    ]
    for (const [limit, code] of cases) {
      const { status, body } = await get(`/organization/users?limit=${limit}`)
      expect(status).toBe(400)
      expect(body.error).toEqual({
        message: expect.stringMatching(/^Invalid 'limit'/),
        type: 'invalid_request_error',
        param: 'limit',
        code,
      })
    }
    expect((await get('/organization/users?limit=100')).body.data).toHaveLength(57)
    expect((await get('/organization/users')).body.data).toHaveLength(20)
  })

  it('rejects a malformed after cursor', async () => {
    const { status, body } = await get('/organization/users?after=user-nonsense')
    expect(status).toBe(400)
    expect(body.error.param).toBe('after')
  })
})

describe('openai-codex simulator: invites', () => {
  it('lists a few invites with unix-second timestamps', async () => {
    const { status, body } = await get('/organization/invites')
    expect(status).toBe(200)
    expect(body.object).toBe('list')
    expect(body.has_more).toBe(false)
    expect(body.data.map((i: { status: string }) => i.status).sort()).toEqual(['accepted', 'expired', 'pending', 'pending', 'pending'])
    for (const invite of body.data) {
      expect(invite.object).toBe('organization.invite')
      expect(invite.id).toMatch(/^invite-[1-9A-HJ-NP-Za-km-z]{24}$/)
      // The current spec's name for the send time (the older `invited_at` is a variant).
      expect(Number.isInteger(invite.created_at)).toBe(true)
      expect(invite).not.toHaveProperty('invited_at')
      expect(invite.expires_at).toBeGreaterThan(invite.created_at)
      expect(invite.accepted_at === null).toBe(invite.status !== 'accepted')
    }
    const page = (await get('/organization/invites?limit=2')).body
    expect(page.has_more).toBe(true)
    const rest = (await get(`/organization/invites?after=${page.last_id}`)).body
    expect([...page.data, ...rest.data]).toEqual(body.data)
    expect((await get(`/organization/invites/${body.data[2].id}`)).body).toEqual(body.data[2])
    expect((await get('/organization/invites/invite-nope')).status).toBe(404)
  })
})

describe('openai-codex simulator: semantic faults', () => {
  it('empty-has-more: an empty list that claims more', async () => {
    sim.faults.add({ fault: { kind: 'empty-has-more' }, path: '/v1/organization/users' })
    expect((await get('/organization/users')).body).toEqual({ object: 'list', data: [], first_id: null, last_id: null, has_more: true })
    expect((await get('/organization/users')).body.data).toHaveLength(20)
  })

  it('repeat-cursor: the page ending at after again, last_id unchanged', async () => {
    const first = (await get('/organization/users?limit=10')).body
    sim.faults.add({ fault: { kind: 'repeat-cursor' }, path: '/v1/organization/users' })
    const repeated = (await get(`/organization/users?limit=10&after=${first.last_id}`)).body
    expect(repeated).toEqual({ ...first, has_more: true })
  })

  it('oversized-page: factor × limit rows (default 5)', async () => {
    sim.faults.add({ fault: { kind: 'oversized-page' }, path: '/v1/organization/users' })
    const big = (await get('/organization/users?limit=3')).body
    expect(big.data).toHaveLength(15)
    expect(big.last_id).toBe(big.data[14].id)
    expect(big.has_more).toBe(true)
    sim.faults.add({ fault: { kind: 'oversized-page', factor: 10 }, path: '/v1/organization/users' })
    const all = (await get('/organization/users?limit=10')).body
    expect(all.data).toHaveLength(57)
    expect(all.has_more).toBe(false)
  })
})

describe('openai-codex simulator: transport faults', () => {
  it("429 carries retry-after by default, in OpenAI's error shape", async () => {
    sim.faults.add({ fault: { kind: 'rate-limit' }, path: '/v1/organization/users' })
    const { status, body, res } = await get('/organization/users')
    expect(status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('1')
    expect(body).toEqual({ error: { message: expect.any(String), type: 'requests', param: null, code: 'rate_limit_exceeded' } })
  })

  it('429 without retry-after (a 429 that needs user action)', async () => {
    sim.faults.add({ fault: { kind: 'rate-limit', retryAfter: null }, path: '/v1/organization/users' })
    const { status, res } = await get('/organization/users')
    expect(status).toBe(429)
    expect(res.headers.get('retry-after')).toBeNull()
  })

  it('uses the ErrorResponse shape for injected statuses', async () => {
    for (const [status, type] of [
      [500, 'server_error'],
      [503, 'server_error'],
      [403, 'invalid_request_error'],
    ] as const) {
      sim.faults.add({ fault: { kind: 'status', status }, path: '/v1/organization/invites' })
      const r = await get('/organization/invites')
      expect(r.status).toBe(status)
      expect(r.body).toEqual({ error: { message: expect.any(String), type, param: null, code: null } })
    }
  })
})

describe('openai-codex simulator: determinism and scale', () => {
  it('answers identically for the same seed, differently for another', async () => {
    const a = await startSimulator({ seed: 5, users: 30 })
    const b = await startSimulator({ seed: 5, users: 30 })
    const c = await startSimulator({ seed: 6, users: 30 })
    try {
      for (const path of ['/organization/users?limit=100', '/organization/invites']) {
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
      const world = new OpenAIWorld({ seed, users: 1_000_000, domain: 'example.com', fields: 'mixed' })
      const other = new OpenAIWorld({ seed: seed + 1, users: 1_000_000, domain: 'example.com', fields: 'mixed' })
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
      const world = new OpenAIWorld({ seed: 3, users: 1_000_000, domain: 'example.com', fields: 'mixed' })
      const tail = (await call(big, `/organization/users?limit=100&after=${world.users.idOf(999_950)}`)).body
      expect(tail.data).toHaveLength(49)
      expect(tail.has_more).toBe(false)
      expect(tail.last_id).toBe(world.users.idOf(999_999))
      const mid = (await call(big, `/organization/users?limit=100&after=${world.users.idOf(500_000)}`)).body
      expect(mid.data).toHaveLength(100)
      expect(mid.first_id).toBe(world.users.idOf(500_001))
      expect(mid.has_more).toBe(true)
      expect((await call(big, `/organization/users/${world.users.idOf(1_000_000)}`)).status).toBe(404)
    } finally {
      await big.close()
    }
  })
})
