/**
 * Cursor connector against its simulator: the reports fetched once per request and never per
 * member, joined as the vendor reports them, then the conformance suites. The documented
 * examples are in cursor-fixtures.test.ts.
 */
import { describe, expect, it } from 'vitest'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit/types'
import { walkAll } from '../support/gateway'
import { describeConnectorConformance } from './support/conformance'
import { useGateway, withSimulatedAccount } from './support/vendor-accounts'

const basic = (sim: RunningSimulator) => ({
  authorization: `Basic ${Buffer.from(`${sim.credentials.api_key}:`).toString('base64')}`,
  'content-type': 'application/json',
})

async function vendorMembers(sim: RunningSimulator) {
  const res = await fetch(`${sim.baseUrl}/teams/members`, { headers: basic(sim) })
  return ((await res.json()) as { teamMembers: Array<{ id: number; isRemoved: boolean }> }).teamMembers
}

async function vendorPost(sim: RunningSimulator, path: string, body: unknown): Promise<any> {
  return (await fetch(`${sim.baseUrl}${path}`, { method: 'POST', headers: basic(sim), body: JSON.stringify(body) })).json()
}

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
      const limitOf = new Map(spend.map((s) => [String(s.userId), s.effectivePerUserLimitDollars]))
      for (const u of users) {
        const dollars = limitOf.get(u.id)
        expect(u.spend_limit).toEqual(dollars ? { amount: dollars * 100, currency: 'USD' } : null)
      }
      expect(users.filter((u) => u.spend_limit).length).toBeGreaterThan(400)

      const end = Math.floor(Date.now() / 60_000) * 60_000
      const usage = await vendorPost(account.sim, '/teams/daily-usage-data', { startDate: end - 30 * 86_400_000, endDate: end })
      const latest = new Map<string, number>()
      for (const row of usage.data)
        if (row.isActive) latest.set(String(row.userId), Math.max(latest.get(String(row.userId)) ?? 0, row.date))
      for (const u of users) {
        const day = latest.get(u.id)
        expect(u.last_active_at).toBe(day === undefined ? null : new Date(day).toISOString())
      }
      expect(users.filter((u) => u.status === 'deleted').every((u) => u.last_active_at === null)).toBe(true)
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
