/**
 * Neon consumption through the gateway against its simulator: the v2 and legacy reports walked
 * over a period by project pages, hourly buckets, Neon's 60-day reach, and the plan refusals,
 * which answer the caller with Neon's status and its message naming the plans.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { walkAll } from '../support/gateway'
import { simulatedAccount, useGateway, withSimulatedAccount, type VendorAccount } from './support/vendor-accounts'

const DAY = 86_400_000
const USAGE = '/unified/usage-metering/usage'
const today = Math.floor(Date.now() / DAY) * DAY
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10)
const qOf = (a: VendorAccount) => `integrated_account_id=${encodeURIComponent(a.accountId)}`

describe('neon: usage', () => {
  const gateway = useGateway()
  let account: VendorAccount
  beforeAll(async () => {
    // 40 members: 8 projects, so a walk crosses project pages of any limit.
    account = await simulatedAccount(gateway.g, 'neon', { users: 40, seed: 2 })
  })
  afterAll(async () => {
    await account?.sim.close()
  })

  it('walks 10 days of v2 consumption: 8 metrics per project and day, each once, the project as resource', async () => {
    const { records } = await walkAll(
      gateway.g,
      `${USAGE}?${qOf(account)}&start_date=${iso(today - 12 * DAY)}&end_date=${iso(today - 2 * DAY)}&limit=33`,
    )
    expect(records).toHaveLength(8 * 10 * 8)
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length)
    expect(new Set(records.map((r) => r.resources[0].id)).size).toBe(8)
    for (const r of records) {
      expect(r.user).toBeNull()
      expect(r.organization).toEqual({ id: account.sim.context.org_id, name: null })
      expect(Date.parse(r.end_date) - Date.parse(r.start_date)).toBe(DAY)
    }
  })

  it('reads hourly buckets with bucket_width=hour, and the legacy metrics with report_type=legacy_usage', async () => {
    const day = today - DAY
    const hourly = await walkAll(gateway.g, `${USAGE}?${qOf(account)}&bucket_width=hour&date=${iso(day)}&limit=500`)
    expect(hourly.records.every((r) => Date.parse(r.end_date) - Date.parse(r.start_date) === 3_600_000)).toBe(true)
    expect(hourly.records).toHaveLength(8 * 24 * 8)
    const legacy = await walkAll(gateway.g, `${USAGE}?${qOf(account)}&report_type=legacy_usage&date=${iso(day)}&limit=100`)
    expect(new Set(legacy.records.map((r) => r.metric_name))).toEqual(
      new Set(['active_time_seconds', 'compute_time_seconds', 'written_data_bytes', 'synthetic_storage_size_bytes']),
    )
  })

  it('refuses a period beyond Neon’s 60 days before asking Neon', async () => {
    const before = account.sim.requests.length
    const res = await gateway.g.json(`${USAGE}?${qOf(account)}&start_date=${iso(today - 90 * DAY)}`)
    expect(res.status).toBe(400)
    expect(res.body.message).toMatch(/60 days/)
    expect(account.sim.requests.length).toBe(before)
  })

  it('answers a plan without consumption history with Neon’s 403 naming the plans', async () => {
    await withSimulatedAccount(gateway.g, 'neon', { users: 3, variant: { plan: 'launch' } }, async (launch) => {
      const legacy = await gateway.g.json(`${USAGE}?${qOf(launch)}&report_type=legacy_usage`)
      expect(legacy.status).toBe(403)
      expect(legacy.body.message).toMatch(/Scale, Business, and Enterprise/)
      expect((await gateway.g.json(`${USAGE}?${qOf(launch)}`)).status).toBe(200)
    })
    await withSimulatedAccount(gateway.g, 'neon', { users: 3, variant: { plan: 'free' } }, async (free) => {
      const v2 = await gateway.g.json(`${USAGE}?${qOf(free)}`)
      expect(v2.status).toBe(403)
      expect(v2.body.message).toMatch(/Launch, Scale, Agent, Business, or Enterprise plan/)
    })
  })
})
