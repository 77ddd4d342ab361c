/**
 * GitHub Copilot usage through the gateway against its simulator: premium requests one day per
 * request (GitHub's year/month/day), per person with remote_query[user], and the per-user
 * activity reports whose records are fetched from the signed download links, without the token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { walkAll } from '../support/gateway'
import { simulatedAccount, useGateway, type VendorAccount } from './support/vendor-accounts'

const DAY = 86_400_000
const USAGE = '/unified/usage-metering/usage'
const PREMIUM = '/organizations/unimeter-sandbox/settings/billing/premium_request/usage'
const today = Math.floor(Date.now() / DAY) * DAY
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10)

describe('github-copilot: usage', () => {
  // The simulator's download links are on loopback: allowed here as an operator would for a lab.
  const gateway = useGateway({ sandbox: false, env: { UNIMETER_ALLOW_PRIVATE_URLS: 'true' } })
  let account: VendorAccount
  let q: string
  beforeAll(async () => {
    account = await simulatedAccount(gateway.g, 'github-copilot', { users: 30, seed: 8 })
    q = `integrated_account_id=${encodeURIComponent(account.accountId)}`
  })
  afterAll(async () => {
    await account?.sim.close()
  })

  it('asks GitHub one day at a time and returns each day’s items as that day', async () => {
    const start = today - 12 * DAY
    const before = account.sim.requests.filter((r) => r.path === PREMIUM).length
    const { records } = await walkAll(gateway.g, `${USAGE}?${q}&start_date=${iso(start)}&end_date=${iso(start + 5 * DAY)}&limit=100`)
    const asked = account.sim.requests.filter((r) => r.path === PREMIUM).slice(before)
    const days = [0, 1, 2, 3, 4].map((i) => new Date(start + i * DAY))
    expect(asked.map((r) => Object.fromEntries(new URLSearchParams(r.query)))).toEqual(
      days.map((d) => ({ year: String(d.getUTCFullYear()), month: String(d.getUTCMonth() + 1), day: String(d.getUTCDate()) })),
    )
    expect(records.length).toBeGreaterThan(0)
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length)
    for (const r of records) {
      expect(r.user).toBeNull()
      expect(Date.parse(r.end_date) - Date.parse(r.start_date)).toBe(DAY)
      expect(r.charges.map((c: any) => c.type)).toEqual(['included', 'usage_based'])
    }
  })

  it("gives one person's premium requests with remote_query[user]", async () => {
    const seats = (await (
      await fetch(`${account.sim.baseUrl}/orgs/unimeter-sandbox/copilot/billing/seats?per_page=100`, {
        headers: { authorization: `Bearer ${account.sim.credentials.api_key}` },
      })
    ).json()) as any
    const active = seats.seats.find((s: any) => s.last_activity_at !== null).assignee.login
    const { records } = await walkAll(
      gateway.g,
      `${USAGE}?${q}&start_date=${iso(today - 20 * DAY)}&end_date=${iso(today - 6 * DAY)}&remote_query[user]=${active}`,
    )
    for (const r of records) expect(r.user).toEqual({ id: active, email: null, name: active })
  })

  it('reads the per-user activity reports from their download links', async () => {
    const start = today - 9 * DAY
    const { records } = await walkAll(
      gateway.g,
      `${USAGE}?${q}&report_type=activity&start_date=${iso(start)}&end_date=${iso(start + 3 * DAY)}&limit=7`,
    )
    expect(records.length).toBeGreaterThan(0)
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length)
    const days = new Set(records.map((r) => r.start_date.slice(0, 10)))
    for (const d of days) expect([iso(start), iso(start + DAY), iso(start + 2 * DAY)]).toContain(d)
    for (const r of records) expect(r.user.name).toMatch(/-\d+$/)
    // The files were fetched, and without the GitHub token (the simulator's files refuse it).
    const files = account.sim.requests.filter((r) => r.path.startsWith('/__copilot-reports/'))
    expect(files.length).toBeGreaterThan(0)
  })
})
