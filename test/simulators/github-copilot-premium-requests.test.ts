/**
 * The GitHub simulator's premium-request usage report: documented shape, per-user figures only
 * when filtered to one user (the same logins as the seats), the monthly allowance as discount,
 * filters, the 24-month limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator } from '../../connectors/github-copilot/simulator'
import { INCLUDED_PER_MONTH } from '../../connectors/github-copilot/simulator/premium-requests'
import { premiumRequestUsage } from '../../connectors/github-copilot/wire-schemas'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit'
import { expectWireValid } from '../connectors/support/wire-examples'

const PATH = '/organizations/unimeter-sandbox/settings/billing/premium_request/usage'
const now = new Date()
const year = now.getUTCFullYear()
const lastMonth = new Date(Date.UTC(year, now.getUTCMonth() - 1, 1))

describe('GitHub simulator: premium request usage', () => {
  let sim: RunningSimulator
  const get = async (query: string) => {
    const res = await fetch(`${sim.baseUrl}${PATH}?${query}`, {
      headers: { authorization: `Bearer ${sim.credentials.api_key}`, 'x-github-api-version': '2022-11-28' },
    })
    return { status: res.status, body: (await res.json()) as any }
  }
  const month = `year=${lastMonth.getUTCFullYear()}&month=${lastMonth.getUTCMonth() + 1}`
  beforeAll(async () => {
    sim = await startSimulator({ seed: 11, users: 10 })
  })
  afterAll(() => sim.close())

  it('reports the organization per model, and each seat holder with ?user=, adding up', async () => {
    const org = await get(month)
    expect(org.status).toBe(200)
    expectWireValid(premiumRequestUsage, org.body, 'org')
    expect(org.body.user).toBeUndefined()
    expect(org.body.usageItems.length).toBeGreaterThan(0)
    const seats = (await (
      await fetch(`${sim.baseUrl}/orgs/unimeter-sandbox/copilot/billing/seats?per_page=100`, {
        headers: { authorization: `Bearer ${sim.credentials.api_key}` },
      })
    ).json()) as any
    let gross = 0
    for (const seat of seats.seats) {
      const one = await get(`${month}&user=${seat.assignee.login.toUpperCase()}`)
      expectWireValid(premiumRequestUsage, one.body, seat.assignee.login)
      for (const item of one.body.usageItems) {
        gross += item.grossQuantity
        // The allowance: what a user's month includes is discounted, never more.
        expect(item.discountQuantity).toBeLessThanOrEqual(item.grossQuantity)
      }
      const included = one.body.usageItems.reduce((s: number, i: any) => s + i.discountQuantity, 0)
      expect(included).toBeLessThanOrEqual(INCLUDED_PER_MONTH + 0.01)
      // Seats that never used Copilot have no premium requests.
      if (seat.last_activity_at === null) expect(one.body.usageItems).toEqual([])
    }
    const orgGross = org.body.usageItems.reduce((s: number, i: any) => s + i.grossQuantity, 0)
    expect(gross).toBeCloseTo(orgGross, 6)
  })

  it('narrows by model and day, echoing the filters', async () => {
    const day = await get(`${month}&day=3`)
    expect(day.body.timePeriod).toEqual({ year: lastMonth.getUTCFullYear(), month: lastMonth.getUTCMonth() + 1, day: 3 })
    const all = await get(month)
    const model = all.body.usageItems[0].model
    const one = await get(`${month}&model=${encodeURIComponent(model.toLowerCase())}`)
    expect(one.body.model).toBe(model.toLowerCase())
    expect(one.body.usageItems).toEqual([all.body.usageItems[0]])
  })

  it('refuses bad periods and data older than 24 months', async () => {
    expect((await get('year=2025&month=13')).status).toBe(400)
    expect((await get('year=2025&month=2&day=30')).status).toBe(400)
    const old = await get(`year=${year - 3}&month=1`)
    expect(old.status).toBe(400)
    expect(old.body.message).toBe('Only data from the past 24 months is accessible via this endpoint.')
  })
})
