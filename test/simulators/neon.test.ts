import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { startSimulator } from '../../connectors/neon/simulator'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit'

const KEY = 'neon_sandbox_unimeter'
const ORG = 'org-sandbox-unimeter-12345678'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/

interface Member {
  id: string
  user_id: string
  org_id: string
  role: string
  joined_at: string
}
interface Entry {
  member: Member
  user: { email: string; has_mfa: boolean }
}
interface MembersPage {
  members: Entry[]
  pagination?: { next?: string }
}

function client(sim: RunningSimulator, key = KEY) {
  return (path: string, headers: Record<string, string> = {}) =>
    fetch(sim.baseUrl + path, { headers: { authorization: `Bearer ${key}`, ...headers } })
}

async function membersPage(get: ReturnType<typeof client>, query: string): Promise<MembersPage> {
  const res = await get(`/organizations/${ORG}/members${query}`)
  expect(res.status).toBe(200)
  return (await res.json()) as MembersPage
}

/** Follows `pagination.next` until it is gone; returns every entry and how many pages it took. */
async function walk(get: ReturnType<typeof client>, first: string, limit: number): Promise<{ entries: Entry[]; pages: number }> {
  const entries: Entry[] = []
  let query = first
  for (let pages = 1; ; pages++) {
    const page = await membersPage(get, query)
    entries.push(...page.members)
    const next = page.pagination?.next
    if (!next) return { entries, pages }
    query = `?limit=${limit}&cursor=${encodeURIComponent(next)}`
  }
}

describe('Neon API v2 simulator', () => {
  let sim: RunningSimulator
  let get: ReturnType<typeof client>
  let all: Entry[]

  beforeAll(async () => {
    sim = await startSimulator({ users: 57 })
    get = client(sim)
    all = (await membersPage(get, '')).members
  })
  afterAll(() => sim.close())

  it('reports its base URL, credentials and org', () => {
    expect(sim.baseUrl).toBe(`${sim.origin}/api/v2`)
    expect(sim.credentials).toEqual({ api_key: KEY })
    expect(sim.context).toEqual({ org_id: ORG })
  })

  describe('auth and errors', () => {
    it.each([
      ['missing', {}],
      ['wrong key', { authorization: 'Bearer neon_wrong' }],
      ['basic instead of bearer', { authorization: `Basic ${Buffer.from(`${KEY}:`).toString('base64')}` }],
    ])('rejects %s with a GeneralError', async (_label, headers) => {
      const res = await fetch(`${sim.baseUrl}/users/me`, { headers })
      expect(res.status).toBe(401)
      const body = (await res.json()) as { request_id: string }
      expect(body).toEqual({ request_id: expect.any(String), code: '', message: 'authentication required' })
      expect(res.headers.get('x-neon-ret-request-id')).toBe(body.request_id)
    })

    it('echoes X-Request-ID in the error body and the response header', async () => {
      const res = await fetch(`${sim.baseUrl}/users/me`, { headers: { 'x-request-id': 'req-123' } })
      expect(await res.json()).toEqual({ request_id: 'req-123', code: '', message: 'authentication required' })
      expect(res.headers.get('x-neon-ret-request-id')).toBe('req-123')
      const ok = await get('/users/me', { 'x-request-id': 'req-456' })
      expect(ok.status).toBe(200)
      expect(ok.headers.get('x-neon-ret-request-id')).toBe('req-456')
    })

    it('sets a request id on every response', async () => {
      const res = await get(`/organizations/${ORG}`)
      expect(res.headers.get('x-neon-ret-request-id')).toMatch(UUID)
    })

    it('accepts a key and org given as variants', async () => {
      const other = await startSimulator({ variant: { apiKey: 'neon_custom', orgId: 'org-other-1' } })
      try {
        expect(other.context).toEqual({ org_id: 'org-other-1' })
        expect((await client(other, 'neon_custom')('/organizations/org-other-1')).status).toBe(200)
        expect((await client(other)('/organizations/org-other-1')).status).toBe(401)
      } finally {
        await other.close()
      }
    })
  })

  it('GET /organizations/{org_id} and 404 for another org', async () => {
    const org = (await (await get(`/organizations/${ORG}`)).json()) as Record<string, string>
    expect(Object.keys(org).sort()).toEqual(['created_at', 'handle', 'id', 'managed_by', 'name', 'plan', 'updated_at'])
    expect(org.id).toBe(ORG)
    expect(org.created_at).toMatch(RFC3339)
    const res = await get('/organizations/org-unknown-1')
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ request_id: expect.any(String), code: '', message: 'not found' })
  })

  it('GET /users/me answers like the recorded CurrentUserInfoResponse', async () => {
    const me = (await (await get('/users/me')).json()) as Record<string, unknown>
    for (const field of [
      'active_seconds_limit',
      'id',
      'email',
      'login',
      'name',
      'last_name',
      'image',
      'projects_limit',
      'branches_limit',
      'max_autoscaling_limit',
      'auth_accounts',
      'plan',
    ]) {
      expect(me).toHaveProperty(field)
    }
    const admin = all.find((e) => e.user.email === me.email)!
    expect(admin.member.user_id).toBe(me.id)
    expect(admin.member.role).toBe('admin')
  })

  it('GET /organizations/{org_id}/invitations lists a few', async () => {
    const { invitations } = (await (await get(`/organizations/${ORG}/invitations`)).json()) as { invitations: Record<string, string>[] }
    expect(invitations.length).toBeGreaterThan(0)
    for (const inv of invitations) {
      expect(Object.keys(inv)).toEqual(['id', 'email', 'org_id', 'invited_by', 'role', 'invited_at'])
      expect(inv.org_id).toBe(ORG)
      expect(['admin', 'member']).toContain(inv.role)
    }
  })

  describe('GET /organizations/{org_id}/members', () => {
    it('without limit returns everyone, newest first, and no pagination', () => {
      expect(all).toHaveLength(57)
      const page = all[0]
      expect(Object.keys(page)).toEqual(['member', 'user'])
      expect(Object.keys(page.member)).toEqual(['id', 'user_id', 'org_id', 'role', 'joined_at'])
      expect(Object.keys(page.user)).toEqual(['email', 'has_mfa'])
      for (const { member } of all) {
        expect(member.id).toMatch(UUID)
        expect(member.user_id).toMatch(UUID)
        expect(member.org_id).toBe(ORG)
        expect(['admin', 'member']).toContain(member.role)
        expect(member.joined_at).toMatch(RFC3339)
      }
      const joined = all.map((e) => e.member.joined_at)
      expect(joined).toEqual([...joined].sort().reverse())
      expect(new Set(all.map((e) => e.member.id)).size).toBe(57)
    })

    it('a cursor walk with limit 10 returns every member once', async () => {
      const res = await get(`/organizations/${ORG}/members?limit=10`)
      const first = (await res.json()) as MembersPage
      expect(first.members).toHaveLength(10)
      expect(typeof first.pagination?.next).toBe('string')
      const { entries, pages } = await walk(get, '?limit=10', 10)
      expect(pages).toBe(6)
      expect(entries).toEqual(all)
    })

    it('omits pagination on the last page', async () => {
      const page = await membersPage(get, '?limit=57')
      expect(page.members).toHaveLength(57)
      expect(page).not.toHaveProperty('pagination')
    })

    it('sorts by email ascending, and the cursor keeps the sort', async () => {
      const { entries } = await walk(get, '?limit=10&sort_by=email&sort_order=asc', 10)
      const emails = entries.map((e) => e.user.email)
      expect(emails).toHaveLength(57)
      expect(emails).toEqual([...emails].sort())
    })

    it('rejects a bad limit, sort or cursor with a GeneralError', async () => {
      for (const query of ['?limit=0', '?limit=abc', '?sort_by=name', '?sort_order=up', '?limit=10&cursor=not-a-cursor']) {
        const res = await get(`/organizations/${ORG}/members${query}`)
        expect(res.status).toBe(400)
        expect(await res.json()).toMatchObject({ request_id: expect.any(String), code: '', message: expect.any(String) })
      }
    })

    it("the pagination 'none' variant returns everyone even with limit", async () => {
      const flat = await startSimulator({ users: 57, variant: { pagination: 'none' } })
      try {
        const page = await membersPage(client(flat), '?limit=10')
        expect(page.members).toEqual(all)
        expect(page).not.toHaveProperty('pagination')
      } finally {
        await flat.close()
      }
    })
  })

  describe('GET /organizations/{org_id}/members/{member_id}', () => {
    it('returns the bare Member', async () => {
      const entry = all[17]
      const res = await get(`/organizations/${ORG}/members/${entry.member.id}`)
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual(entry.member)
    })

    it('404s for an unknown member', async () => {
      for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
        const res = await get(`/organizations/${ORG}/members/${id}`)
        expect(res.status).toBe(404)
        expect(await res.json()).toEqual({ request_id: expect.any(String), code: '', message: 'not found' })
      }
    })

    it('finds members of a large org', async () => {
      const big = await startSimulator({ users: 1_000_000 })
      try {
        const api = client(big)
        const first = await membersPage(api, '?limit=3')
        expect(first.members).toHaveLength(3)
        const res = await api(`/organizations/${ORG}/members/${first.members[0].member.id}`)
        expect(await res.json()).toEqual(first.members[0].member)
      } finally {
        await big.close()
      }
    })
  })

  describe('faults', () => {
    it('empty-has-more: an empty page with a next that resumes at the same place', async () => {
      sim.faults.add({ fault: { kind: 'empty-has-more' }, path: '/members' })
      const empty = await membersPage(get, '?limit=10')
      expect(empty.members).toEqual([])
      expect(typeof empty.pagination?.next).toBe('string')
      const resumed = await membersPage(get, `?limit=10&cursor=${encodeURIComponent(empty.pagination!.next!)}`)
      expect(resumed.members).toEqual(all.slice(0, 10))
    })

    it('repeat-cursor: the same page and the same next again', async () => {
      const first = await membersPage(get, '?limit=10')
      const cursor = first.pagination!.next!
      const second = await membersPage(get, `?limit=10&cursor=${encodeURIComponent(cursor)}`)
      sim.faults.add({ fault: { kind: 'repeat-cursor' }, path: '/members' })
      const repeated = await membersPage(get, `?limit=10&cursor=${encodeURIComponent(cursor)}`)
      expect(repeated.members).toEqual(second.members)
      expect(repeated.pagination?.next).toBe(cursor)
    })

    it('oversized-page: more members than limit, and the walk still covers everyone once', async () => {
      sim.faults.add({ fault: { kind: 'oversized-page' }, path: '/members' })
      const big = await membersPage(get, '?limit=10')
      expect(big.members).toEqual(all.slice(0, 20))
      const { entries } = await walk(get, `?limit=10&cursor=${encodeURIComponent(big.pagination!.next!)}`, 10)
      expect([...big.members, ...entries]).toEqual(all)
    })

    it('rate-limit: 429 GeneralError without rate-limit headers', async () => {
      sim.faults.add({ fault: { kind: 'rate-limit' } })
      const res = await get(`/organizations/${ORG}/members`)
      expect(res.status).toBe(429)
      expect(res.headers.get('retry-after')).toBeNull()
      expect(await res.json()).toMatchObject({ request_id: expect.any(String), code: '', message: expect.any(String) })
      expect((await get(`/organizations/${ORG}/members`)).status).toBe(200)
    })
  })

  it('is deterministic per seed', async () => {
    const [a, b, c] = await Promise.all([startSimulator({ seed: 7 }), startSimulator({ seed: 7 }), startSimulator({ seed: 8 })])
    try {
      const text = async (s: RunningSimulator) =>
        Promise.all(
          [`/organizations/${ORG}/members`, `/organizations/${ORG}/invitations`, `/organizations/${ORG}`].map(async (p) =>
            (await client(s)(p)).text(),
          ),
        )
      const [ta, tb, tc] = await Promise.all([text(a), text(b), text(c)])
      expect(ta).toEqual(tb)
      expect(ta[0]).not.toEqual(tc[0])
    } finally {
      await Promise.all([a.close(), b.close(), c.close()])
    }
  })
})
