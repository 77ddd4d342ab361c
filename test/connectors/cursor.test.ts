/**
 * Cursor connector: recorded Admin API answers → exact unified users (spend limit and last
 * activity joined from the two reports), the reports fetched once per request and never per
 * member, then the conformance suites against the Cursor simulator.
 */
import { describe, expect, it } from 'vitest'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit/types'
import { walkAll } from '../support/gateway'
import { describeConnectorConformance } from './support/conformance'
import { useGateway, useReplayAccount, USERS_PATH, withSimulatedAccount } from './support/vendor-accounts'

/** providers.md §3.2–3.4, the documented examples. */
const MEMBERS = {
  teamMembers: [
    { id: 12345, name: 'Alex', email: 'developer@company.com', role: 'member', isRemoved: false },
    { id: 12346, name: 'Sam', email: 'admin@company.com', role: 'owner', isRemoved: false },
  ],
}
const SPEND = {
  teamMemberSpend: [
    { userId: 12345, spendCents: 2450, fastPremiumRequests: 1250, name: 'Alex', email: 'developer@company.com', role: 'member', hardLimitOverrideDollars: 100, monthlyLimitDollars: 200 },
    { userId: 12346, spendCents: 1875, fastPremiumRequests: 980, name: 'Sam', email: 'admin@company.com', role: 'owner', hardLimitOverrideDollars: 0, monthlyLimitDollars: null },
  ],
  subscriptionCycleStart: 1708992000000,
  totalMembers: 15,
  totalPages: 1,
}
const DAILY_USAGE = {
  data: [
    {
      userId: 12345, day: '2024-03-18', date: 1710720000000, isActive: true,
      totalLinesAdded: 1543, totalLinesDeleted: 892, acceptedLinesAdded: 1102, acceptedLinesDeleted: 645,
      totalApplies: 87, totalAccepts: 73, totalRejects: 14, totalTabsShown: 342, totalTabsAccepted: 289,
      composerRequests: 45, chatRequests: 128, agentRequests: 12, cmdkUsages: 67,
      subscriptionIncludedReqs: 180, apiKeyReqs: 0, usageBasedReqs: 5, bugbotUsages: 3,
      mostUsedModel: 'gpt-5', applyMostUsedExtension: '.tsx', tabMostUsedExtension: '.ts',
      clientVersion: '0.25.1', email: 'developer@company.com',
    },
  ],
  period: { startDate: 1710720000000, endDate: 1710892800000 },
}

const basic = (sim: RunningSimulator) => ({ authorization: `Basic ${Buffer.from(`${sim.credentials.api_key}:`).toString('base64')}`, 'content-type': 'application/json' })

async function vendorMembers(sim: RunningSimulator) {
  const res = await fetch(`${sim.baseUrl}/teams/members`, { headers: basic(sim) })
  return ((await res.json()) as { teamMembers: Array<{ id: number; isRemoved: boolean }> }).teamMembers
}

async function vendorPost(sim: RunningSimulator, path: string, body: unknown): Promise<any> {
  return (await fetch(`${sim.baseUrl}${path}`, { method: 'POST', headers: basic(sim), body: JSON.stringify(body) })).json()
}

describe('cursor: recorded answers → unified users', () => {
  const vendor = useReplayAccount(
    'cursor',
    '',
    { 'GET /teams/members': MEMBERS, 'POST /teams/spend': SPEND, 'POST /teams/daily-usage-data': DAILY_USAGE },
    { api_key: 'key_recorded' },
  )

  const alex = {
    id: '12345',
    name: 'Alex',
    first_name: 'Alex',
    last_name: null,
    emails: [{ email: 'developer@company.com', is_primary: true }],
    roles: [{ id: 'member', name: 'member' }],
    status: 'active',
    // The hard-limit override ($100) wins over the monthly limit ($200), in cents.
    spend_limit: { amount: 10000, currency: 'USD' },
    last_active_at: '2024-03-18T00:00:00.000Z',
    created_at: null,
    updated_at: null,
    remote_data: MEMBERS.teamMembers[0],
  }
  const sam = {
    id: '12346',
    name: 'Sam',
    first_name: 'Sam',
    last_name: null,
    emails: [{ email: 'admin@company.com', is_primary: true }],
    roles: [{ id: 'owner', name: 'owner' }],
    status: 'active',
    // No override (0) and no monthly limit (null): no limit at all.
    spend_limit: null,
    created_at: null,
    updated_at: null,
    remote_data: MEMBERS.teamMembers[1],
  }

  it('maps the documented examples exactly', async () => {
    const { body } = await vendor.g.json(`${USERS_PATH}?${vendor.q}`)
    expect(body).toEqual({ result: [alex, sam], next_cursor: null, prev_cursor: null, result_count: 2 })
  })

  it('gets a member through the list (Cursor has no member endpoint)', async () => {
    expect((await vendor.g.json(`${USERS_PATH}/12346?${vendor.q}`)).body).toEqual(sam)
    expect(vendor.replay.counts.get('GET /teams/members/12346')).toBeUndefined()
  })

  it('asks daily usage for the 30 days up to now (whole minutes, epoch ms) and spend page by page', async () => {
    await vendor.g.json(`${USERS_PATH}?${vendor.q}`)
    const [usage] = vendor.replay.sent.get('POST /teams/daily-usage-data') as Array<{ startDate: number; endDate: number }>
    expect(usage.endDate - usage.startDate).toBe(30 * 86_400_000)
    expect(usage.endDate % 60_000).toBe(0)
    expect(usage.endDate).toBeLessThanOrEqual(Date.now())
    expect(usage.endDate).toBeGreaterThan(Date.now() - 10 * 60_000)
    expect(vendor.replay.sent.get('POST /teams/spend')?.[0]).toEqual({ page: 1, pageSize: 1000 })
  })
})

describe('cursor: reports joined once per request', () => {
  const gateway = useGateway()

  it('calls spend and daily usage once for a whole page, not once per member', async () => {
    await withSimulatedAccount(gateway.g, 'cursor', { users: 25 }, async (account) => {
      const { body } = await gateway.g.json(`${account.list}&limit=25`)
      expect(body.result).toHaveLength(25)
      expect(account.sim.counts.get('POST /teams/spend')).toBe(1)
      expect(account.sim.counts.get('POST /teams/daily-usage-data')).toBe(1)
      // Verification and the list itself.
      expect(account.sim.counts.get('GET /teams/members')).toBe(2)
      const { pages } = await walkAll(gateway.g, `${account.list}&limit=4`)
      expect(pages).toBe(7)
      expect(account.sim.counts.get('POST /teams/spend')).toBeLessThanOrEqual(1 + pages)
      expect(account.sim.counts.get('POST /teams/daily-usage-data')).toBeLessThanOrEqual(1 + pages)
    })
  })

  it('streams the whole team from one members answer, whatever the page size', async () => {
    await withSimulatedAccount(gateway.g, 'cursor', { users: 25 }, async (account) => {
      const res = await gateway.g.api(`${account.list}&limit=4&truto_response_format=stream`)
      const lines = (await res.text()).trim().split('\n')
      expect(lines).toHaveLength(25)
      // Verification, then one members call for all seven gateway pages of the stream.
      expect(account.sim.counts.get('GET /teams/members')).toBe(2)
    })
  })

  it('walks every spend page and joins limits and activity as the vendor reports them', async () => {
    await withSimulatedAccount(gateway.g, 'cursor', { users: 1200 }, async (account) => {
      const { body } = await gateway.g.json(`${account.list}&limit=1000&truto_ignore_limit=true`)
      const users: any[] = body.result
      expect(users).toHaveLength(1200)
      // 1200 members at 1000 a page: two spend pages in one gateway request.
      expect(account.sim.counts.get('POST /teams/spend')).toBe(2)

      const spend: any[] = []
      for (let page = 1; ; page++) {
        const p = await vendorPost(account.sim, '/teams/spend', { page, pageSize: 500 })
        spend.push(...p.teamMemberSpend)
        if (page >= p.totalPages) break
      }
      const limitOf = new Map(spend.map((s) => [String(s.userId), s.hardLimitOverrideDollars > 0 ? s.hardLimitOverrideDollars : s.monthlyLimitDollars]))
      for (const u of users) {
        const dollars = limitOf.get(u.id)
        expect(u.spend_limit).toEqual(dollars ? { amount: dollars * 100, currency: 'USD' } : null)
      }
      expect(users.filter((u) => u.spend_limit).length).toBeGreaterThan(400)

      const end = Math.floor(Date.now() / 60_000) * 60_000
      const usage = await vendorPost(account.sim, '/teams/daily-usage-data', { startDate: end - 30 * 86_400_000, endDate: end })
      const latest = new Map<string, number>()
      for (const row of usage.data) if (row.isActive) latest.set(String(row.userId), Math.max(latest.get(String(row.userId)) ?? 0, row.date))
      for (const u of users) {
        const day = latest.get(u.id)
        expect(u.last_active_at).toBe(day === undefined ? undefined : new Date(day).toISOString())
      }
      expect(users.filter((u) => u.status === 'deleted').every((u) => u.last_active_at === undefined)).toBe(true)
    })
  })

  it('marks removed members deleted', async () => {
    await withSimulatedAccount(gateway.g, 'cursor', { users: 25 }, async (account) => {
      const { body } = await gateway.g.json(`${account.list}&limit=25`)
      const removed = body.result.filter((u: any) => u.remote_data.isRemoved).map((u: any) => u.status)
      expect(removed).toEqual(['deleted', 'deleted', 'deleted'])
      expect(body.result.filter((u: any) => u.status === 'active')).toHaveLength(22)
    })
  })
})

describeConnectorConformance({
  connector: 'cursor',
  listPath: '/teams/members',
  pageLimit: 6,
  // The whole team comes in one answer: every gateway page is a slice of it.
  extraWalks: [{ users: 250, limit: 100 }],
  vendorIds: async (sim) => (await vendorMembers(sim)).map((m) => String(m.id)),
  rawRecords: (body) => body.teamMembers,
  rawId: (record) => String(record.id),
  errorStatuses: [400, 401, 403, 404, 429, 500, 503],
  vendorMessage: (raw) => raw.message,
})
