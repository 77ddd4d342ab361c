import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { startSimulator } from '../../connectors/cursor/simulator'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit'

const KEY = 'key_sandbox_unimeter'
const DAY = 86_400_000
// A fixed week in the past, so rows never depend on today's date.
const START = Date.UTC(2025, 5, 2)
const END = Date.UTC(2025, 5, 8)
const ROW_KEYS = [
  'userId',
  'day',
  'date',
  'isActive',
  'totalLinesAdded',
  'totalLinesDeleted',
  'acceptedLinesAdded',
  'acceptedLinesDeleted',
  'totalApplies',
  'totalAccepts',
  'totalRejects',
  'totalTabsShown',
  'totalTabsAccepted',
  'composerRequests',
  'chatRequests',
  'agentRequests',
  'cmdkUsages',
  'subscriptionIncludedReqs',
  'apiKeyReqs',
  'usageBasedReqs',
  'bugbotUsages',
  'mostUsedModel',
  'applyMostUsedExtension',
  'tabMostUsedExtension',
  'clientVersion',
  'email',
]

const basic = (user: string, password = '') => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`

interface Member {
  id: number
  name: string
  email: string
  role: string
  isRemoved: boolean
}
interface SpendRow {
  userId: number
  spendCents: number
  hardLimitOverrideDollars: number
  monthlyLimitDollars: number | null
  effectivePerUserLimitDollars: number | null
  email: string
  name: string
}
interface SpendPage {
  teamMemberSpend: SpendRow[]
  subscriptionCycleStart: number
  totalMembers: number
  totalPages: number
}
interface UsageRow {
  userId: number
  day: string
  date: number
  isActive: boolean
  email: string
  [k: string]: unknown
}
interface UsagePage {
  data: UsageRow[]
  period: { startDate: number; endDate: number }
  pagination?: { page: number; pageSize: number; totalUsers: number; totalPages: number; hasNextPage: boolean; hasPreviousPage: boolean }
}

function client(sim: RunningSimulator, auth = basic(KEY)) {
  const headers = { authorization: auth, 'content-type': 'application/json' }
  return {
    get: (path: string) => fetch(sim.baseUrl + path, { headers }),
    post: (path: string, body: unknown) => fetch(sim.baseUrl + path, { method: 'POST', headers, body: JSON.stringify(body) }),
  }
}

describe('Cursor Admin API simulator', () => {
  let sim: RunningSimulator
  let api: ReturnType<typeof client>
  let members: Member[]

  beforeAll(async () => {
    sim = await startSimulator()
    api = client(sim)
    members = ((await (await api.get('/teams/members')).json()) as { teamMembers: Member[] }).teamMembers
  })
  afterAll(() => sim.close())

  it('serves at the origin and reports its credentials', () => {
    expect(sim.baseUrl).toBe(sim.origin)
    expect(sim.credentials).toEqual({ api_key: KEY })
  })

  describe('auth', () => {
    const unauthorized = { error: 'Unauthorized', message: 'Invalid API key' }
    it.each([
      ['missing', undefined],
      ['wrong key', basic('key_wrong')],
      ['non-empty password', basic(KEY, 'secret')],
      ['bearer instead of basic', `Bearer ${KEY}`],
      ['basic without the colon', `Basic ${Buffer.from(KEY).toString('base64')}`],
    ])('rejects %s with the vendor body', async (_label, auth) => {
      const res = await fetch(`${sim.baseUrl}/teams/members`, { headers: auth ? { authorization: auth } : {} })
      expect(res.status).toBe(401)
      expect(await res.json()).toEqual(unauthorized)
    })

    it('accepts a key given as a variant, and only that key', async () => {
      const other = await startSimulator({ variant: { apiKey: 'key_custom' } })
      try {
        expect((await client(other, basic('key_custom')).get('/teams/members')).status).toBe(200)
        expect((await client(other).get('/teams/members')).status).toBe(401)
      } finally {
        await other.close()
      }
    })
  })

  it('answers an unknown path with the documented 404 body', async () => {
    const res = await api.get('/teams/nothing-here')
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ error: 'Not Found', message: 'Resource not found' })
  })

  describe('GET /teams/members', () => {
    it('lists the whole team at once with numeric ids', async () => {
      expect(members).toHaveLength(25)
      expect(new Set(members.map((m) => m.id)).size).toBe(25)
      expect(new Set(members.map((m) => m.email)).size).toBe(25)
      for (const m of members) {
        expect(Object.keys(m)).toEqual(['id', 'name', 'email', 'role', 'isRemoved'])
        expect(typeof m.id).toBe('number')
        expect(['member', 'owner', 'free-owner']).toContain(m.role)
      }
      expect(members[0].role).toBe('owner')
      expect(members.filter((m) => m.role === 'member').length).toBeGreaterThan(15)
      expect(members.filter((m) => m.isRemoved).length).toBe(3)
    })

    it('answers the older documented shapes: no ids, removed members left out, or a bare array', async () => {
      for (const [shape, read] of [
        ['basic', (b: any) => b.teamMembers],
        ['array', (b: any) => b],
      ] as const) {
        const older = await startSimulator({ variant: { members: shape } })
        try {
          const list = read(await (await client(older).get('/teams/members')).json()) as Array<Record<string, unknown>>
          expect(list).toHaveLength(22)
          for (const m of list) expect(Object.keys(m)).toEqual(['name', 'email', 'role'])
          expect(list.map((m) => m.email)).toEqual(members.filter((m) => !m.isRemoved).map((m) => m.email))
        } finally {
          await older.close()
        }
      }
      await expect(startSimulator({ variant: { members: 'nested' } })).rejects.toThrow(/unknown members variant/)
    })

    it("ids 'string': spend rows carry user_… ids and unpaginated usage rows no userId", async () => {
      const other = await startSimulator({ variant: { ids: 'string' } })
      try {
        const api2 = client(other)
        const spend = (await (await api2.post('/teams/spend', { pageSize: 100 })).json()) as { teamMemberSpend: Array<{ userId: unknown }> }
        for (const row of spend.teamMemberSpend) expect(row.userId).toMatch(/^user_[1-9A-HJ-NP-Za-km-z]{28}$/)
        const end = Date.now()
        const usage = (await (await api2.post('/teams/daily-usage-data', { startDate: end - 7 * 86_400_000, endDate: end })).json()) as {
          data: object[]
        }
        expect(usage.data.length).toBeGreaterThan(0)
        for (const row of usage.data) expect(row).not.toHaveProperty('userId')
      } finally {
        await other.close()
      }
    })

    it('builds large teams', async () => {
      const big = await startSimulator({ users: 20_000 })
      try {
        const body = (await (await client(big).get('/teams/members')).json()) as { teamMembers: Member[] }
        expect(body.teamMembers).toHaveLength(20_000)
        expect(body.teamMembers[19_999].id - body.teamMembers[0].id).toBe(19_999)
      } finally {
        await big.close()
      }
    })
  })

  describe('POST /teams/spend', () => {
    const page = async (body: object) => {
      const res = await api.post('/teams/spend', body)
      expect(res.status).toBe(200)
      return (await res.json()) as SpendPage
    }

    it('pages through every current member exactly once', async () => {
      const seen: number[] = []
      let p = 1
      let last: SpendPage
      do {
        last = await page({ page: p, pageSize: 4 })
        expect(last.teamMemberSpend.length).toBeLessThanOrEqual(4)
        seen.push(...last.teamMemberSpend.map((r) => r.userId))
        p++
      } while (p <= last.totalPages)
      const current = members.filter((m) => !m.isRemoved).map((m) => m.id)
      expect(last.totalMembers).toBe(current.length)
      expect(last.totalPages).toBe(Math.ceil(current.length / 4))
      expect(seen.sort()).toEqual(current.sort())
      expect(last.subscriptionCycleStart).toBeLessThanOrEqual(Date.now())
      expect(Date.now() - last.subscriptionCycleStart).toBeLessThan(32 * DAY)
    })

    it('defaults to one page of up to 100 and shows every kind of limit', async () => {
      const all = await page({})
      expect(all.totalPages).toBe(1)
      const rows = all.teamMemberSpend
      expect(Object.keys(rows[0])).toEqual([
        'userId',
        'spendCents',
        'fastPremiumRequests',
        'name',
        'email',
        'role',
        'hardLimitOverrideDollars',
        'monthlyLimitDollars',
        'effectivePerUserLimitDollars',
      ])
      // What real rows show: the monthly limit is the effective one even beside a larger override.
      for (const r of rows)
        expect(r.effectivePerUserLimitDollars).toBe(
          r.monthlyLimitDollars ?? (r.hardLimitOverrideDollars > 0 ? r.hardLimitOverrideDollars : null),
        )
      expect(rows.some((r) => r.hardLimitOverrideDollars > 0)).toBe(true)
      expect(rows.some((r) => r.hardLimitOverrideDollars === 0 && r.monthlyLimitDollars !== null)).toBe(true)
      expect(rows.some((r) => r.hardLimitOverrideDollars === 0 && r.monthlyLimitDollars === null)).toBe(true)
    })

    it('sorts and searches', async () => {
      const asc = (await page({ sortBy: 'amount', sortDirection: 'asc' })).teamMemberSpend.map((r) => r.spendCents)
      expect(asc).toEqual([...asc].sort((a, b) => a - b))
      const desc = (await page({ sortBy: 'amount', sortDirection: 'desc' })).teamMemberSpend.map((r) => r.spendCents)
      expect(desc).toEqual([...asc].reverse())
      const target = members.find((m) => !m.isRemoved && m.id !== members[0].id)!
      const found = await page({ searchTerm: target.email.toUpperCase() })
      expect(found.teamMemberSpend.map((r) => r.userId)).toEqual([target.id])
      expect(found.totalMembers).toBe(1)
    })

    it('rejects a bad sortBy or page', async () => {
      for (const body of [{ sortBy: 'cost' }, { page: 0 }, { pageSize: 'ten' }]) {
        const res = await api.post('/teams/spend', body)
        expect(res.status).toBe(400)
        expect(await res.json()).toMatchObject({ error: 'Bad Request', message: expect.any(String) })
      }
    })
  })

  describe('POST /teams/daily-usage-data', () => {
    const usage = async (body: object) => {
      const res = await api.post('/teams/daily-usage-data', body)
      expect(res.status).toBe(200)
      return (await res.json()) as UsagePage
    }

    it('without paging: only active rows and no pagination', async () => {
      const body = await usage({ startDate: START, endDate: END })
      expect(body.pagination).toBeUndefined()
      expect(body.period).toEqual({ startDate: START, endDate: END })
      expect(body.data.length).toBeGreaterThan(0)
      const ids = new Set(members.filter((m) => !m.isRemoved).map((m) => m.id))
      for (const row of body.data) {
        expect(Object.keys(row)).toEqual(ROW_KEYS)
        expect(row.isActive).toBe(true)
        expect(ids.has(row.userId)).toBe(true)
        expect(row.date % DAY).toBe(0)
        expect(row.date).toBeGreaterThanOrEqual(START)
        expect(row.date).toBeLessThanOrEqual(END)
        expect(new Date(row.date).toISOString().slice(0, 10)).toBe(row.day)
      }
    })

    it('with paging: every member every day, pageSize members a page', async () => {
      const days = (END - START) / DAY + 1
      const rows: UsageRow[] = []
      for (let p = 1; ; p++) {
        const body = await usage({ startDate: START, endDate: END, page: p, pageSize: 10 })
        expect(body.pagination).toEqual({
          page: p,
          pageSize: 10,
          totalUsers: 25,
          totalPages: 3,
          hasNextPage: p < 3,
          hasPreviousPage: p > 1,
        })
        expect(new Set(body.data.map((r) => r.userId)).size).toBe(p < 3 ? 10 : 5)
        rows.push(...body.data)
        if (!body.pagination!.hasNextPage) break
      }
      expect(rows).toHaveLength(25 * days)
      const inactive = rows.filter((r) => !r.isActive)
      expect(inactive.length).toBeGreaterThan(0)
      expect(inactive.every((r) => r.totalLinesAdded === 0 && r.mostUsedModel === null)).toBe(true)
      // The active rows are exactly what the unpaginated form returns.
      const unpaginated = await usage({ startDate: START, endDate: END })
      expect(rows.filter((r) => r.isActive)).toEqual(unpaginated.data)
    })

    it('validates the dates and the 30-day range', async () => {
      const bad = [
        {},
        { startDate: START },
        { startDate: '2025-06-02', endDate: END },
        { startDate: END, endDate: START },
        { startDate: START, endDate: START + 30 * DAY + 1 },
      ]
      for (const body of bad) {
        const res = await api.post('/teams/daily-usage-data', body)
        expect(res.status).toBe(400)
        const error = (await res.json()) as { error: string; message: string }
        expect(error.error).toBe('Bad Request')
        expect(error.message.length).toBeGreaterThan(0)
      }
      const ok = await usage({ startDate: START, endDate: START + 30 * DAY, page: 1, pageSize: 100 })
      expect(new Set(ok.data.map((r) => r.day)).size).toBe(31)
    })
  })

  describe('faults', () => {
    it('oversized-page returns more spend rows than asked', async () => {
      sim.faults.add({ fault: { kind: 'oversized-page' }, path: '/teams/spend' })
      const body = (await (await api.post('/teams/spend', { page: 1, pageSize: 5 })).json()) as SpendPage
      expect(body.teamMemberSpend).toHaveLength(10)
      expect(body.totalPages).toBe(5)
    })

    it('empty-has-more returns an empty spend page that claims more pages', async () => {
      sim.faults.add({ fault: { kind: 'empty-has-more' }, path: '/teams/spend' })
      const body = (await (await api.post('/teams/spend', { page: 5, pageSize: 5 })).json()) as SpendPage
      expect(body.teamMemberSpend).toEqual([])
      expect(body.totalPages).toBeGreaterThan(5)
    })

    it('repeat-cursor serves the previous daily-usage page again', async () => {
      const base = { startDate: START, endDate: END, pageSize: 10 }
      const first = (await (await api.post('/teams/daily-usage-data', { ...base, page: 1 })).json()) as UsagePage
      sim.faults.add({ fault: { kind: 'repeat-cursor' }, path: '/teams/daily-usage-data' })
      const again = (await (await api.post('/teams/daily-usage-data', { ...base, page: 2 })).json()) as UsagePage
      expect(again.data).toEqual(first.data)
      expect(again.pagination!.page).toBe(2)
    })

    it('empty-has-more and oversized-page on daily usage', async () => {
      const base = { startDate: START, endDate: END, pageSize: 10 }
      sim.faults.add({ fault: { kind: 'empty-has-more' }, path: '/teams/daily-usage-data' })
      const empty = (await (await api.post('/teams/daily-usage-data', { ...base, page: 3 })).json()) as UsagePage
      expect(empty.data).toEqual([])
      expect(empty.pagination!.hasNextPage).toBe(true)
      sim.faults.add({ fault: { kind: 'oversized-page', factor: 3 }, path: '/teams/daily-usage-data' })
      const big = (await (await api.post('/teams/daily-usage-data', { ...base, page: 1 })).json()) as UsagePage
      expect(new Set(big.data.map((r) => r.userId)).size).toBe(25)
    })

    it('rate-limit sends the documented 429 body with Retry-After: 60', async () => {
      sim.faults.add({ fault: { kind: 'rate-limit' } })
      const res = await api.get('/teams/members')
      expect(res.status).toBe(429)
      expect(res.headers.get('retry-after')).toBe('60')
      expect(await res.json()).toEqual({ error: 'Too Many Requests', message: 'Rate limit exceeded. Please try again later.' })
      expect((await api.get('/teams/members')).status).toBe(200)
    })
  })

  it('is deterministic per seed', async () => {
    const [a, b, c] = await Promise.all([startSimulator({ seed: 7 }), startSimulator({ seed: 7 }), startSimulator({ seed: 8 })])
    try {
      const text = async (s: RunningSimulator) => {
        const api = client(s)
        return [
          await (await api.get('/teams/members')).text(),
          await (await api.post('/teams/spend', { sortBy: 'amount' })).text(),
          await (await api.post('/teams/daily-usage-data', { startDate: START, endDate: END })).text(),
        ]
      }
      const [ta, tb, tc] = await Promise.all([text(a), text(b), text(c)])
      expect(ta).toEqual(tb)
      expect(ta[0]).not.toEqual(tc[0])
      expect(ta[2]).not.toEqual(tc[2])
    } finally {
      await Promise.all([a.close(), b.close(), c.close()])
    }
  })
})
