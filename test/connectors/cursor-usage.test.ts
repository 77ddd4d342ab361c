/**
 * Cursor usage through the gateway against its simulator: the three reports, periods longer
 * than Cursor's 30 days per request walked window by window in one next_cursor walk, and the
 * parameters Cursor cannot honour refused with a 400 naming what it supports.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { walkAll } from '../support/gateway'
import { simulatedAccount, useGateway, type VendorAccount } from './support/vendor-accounts'

const DAY = 86_400_000
const USAGE = '/unified/usage-metering/usage'
const today = Math.floor(Date.now() / DAY) * DAY
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10)

describe('cursor: usage', () => {
  const gateway = useGateway()
  let account: VendorAccount
  let q: string
  const post = async (path: string, body: unknown) =>
    (await fetch(account.sim.baseUrl + path, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${account.sim.credentials.api_key}:`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    }).then((r) => r.json())) as any
  beforeAll(async () => {
    account = await simulatedAccount(gateway.g, 'cursor', { users: 9, seed: 4 })
    q = `integrated_account_id=${encodeURIComponent(account.accountId)}`
  })
  afterAll(async () => {
    await account?.sim.close()
  })

  it('walks 65 days of daily activity across three 30-day windows: every active member-day once', async () => {
    const start = today - 70 * DAY
    const end = today - 5 * DAY
    const { records } = await walkAll(gateway.g, `${USAGE}?${q}&start_date=${iso(start)}&end_date=${iso(end)}&limit=17`)
    // What Cursor holds for the period, asked 30 days at a time.
    let expected = 0
    for (let from = start; from < end; from += 30 * DAY) {
      expected += (await post('/teams/daily-usage-data', { startDate: from, endDate: Math.min(from + 30 * DAY, end) - 1 })).data.length
    }
    expect(records).toHaveLength(expected)
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length)
    for (const r of records) {
      expect(Date.parse(r.start_date)).toBeGreaterThanOrEqual(start)
      expect(Date.parse(r.start_date)).toBeLessThan(end)
      expect(r.user.email).toMatch(/@/)
      expect(r.usage.activity.is_active).toBe(true)
    }
  })

  it('walks usage events over 40 days, paged inside each window, each event once', async () => {
    const start = today - 45 * DAY
    const end = today - 5 * DAY
    const { records } = await walkAll(gateway.g, `${USAGE}?${q}&report_type=usage&start_date=${iso(start)}&end_date=${iso(end)}&limit=50`)
    const first = await post('/teams/filtered-usage-events', { startDate: start, endDate: start + 30 * DAY - 1, pageSize: 1 })
    const second = await post('/teams/filtered-usage-events', { startDate: start + 30 * DAY, endDate: end - 1, pageSize: 1 })
    expect(records).toHaveLength(first.totalUsageEventsCount + second.totalUsageEventsCount)
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length)
    const charged = records.filter((r) => r.charges?.[0]?.type === 'usage_based')
    expect(charged.length).toBeGreaterThan(0)
    for (const r of charged) expect(r.charges[0]).toMatchObject({ currency: 'USD' })
  })

  it("reports each member's spend this cycle (user_cost)", async () => {
    const { records } = await walkAll(gateway.g, `${USAGE}?${q}&report_type=user_cost&limit=4`)
    const spend = await post('/teams/spend', { pageSize: 100 })
    expect(records).toHaveLength(spend.teamMemberSpend.length)
    const byEmail = new Map(spend.teamMemberSpend.map((s: any) => [s.email, s.spendCents]))
    for (const r of records) expect(r.charges).toEqual([{ amount: byEmail.get(r.user.email), currency: 'USD', type: 'total' }])
  })

  it('refuses an unknown report, a period over what it allows, and filters Cursor lacks', async () => {
    const bad = await gateway.g.json(`${USAGE}?${q}&report_type=cost`)
    expect(bad.status).toBe(400)
    expect(bad.body.message).toMatch(/activity/)
    const filtered = await gateway.g.json(`${USAGE}?${q}&user_ids=someone`)
    expect(filtered.status).toBe(400)
  })
})
