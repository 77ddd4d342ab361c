/**
 * The Cursor simulator's POST /teams/filtered-usage-events: documented shape, the same people as
 * the members and daily-usage reports, paging, filters, the 30-day span limit, the hour of lag.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator } from '../../connectors/cursor/simulator'
import { EVENTS_LAG_MS } from '../../connectors/cursor/simulator/usage-events'
import { usageEvents } from '../../connectors/cursor/wire-schemas'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit'
import { expectWireValid } from '../connectors/support/wire-examples'

const DAY = 86_400_000
const START = Date.UTC(2025, 5, 2)
const END = Date.UTC(2025, 5, 9)

describe('Cursor simulator: filtered usage events', () => {
  let sim: RunningSimulator
  const post = async (path: string, body: unknown) => {
    const res = await fetch(sim.baseUrl + path, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${sim.credentials.api_key}:`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    })
    return { status: res.status, body: (await res.json()) as any }
  }
  beforeAll(async () => {
    sim = await startSimulator({ seed: 7, users: 12 })
  })
  afterAll(() => sim.close())

  it('walks a week page by page, newest first, in the documented shape', async () => {
    const events: any[] = []
    let total = 0
    for (let page = 1; ; page++) {
      const { status, body } = await post('/teams/filtered-usage-events', { startDate: START, endDate: END, page, pageSize: 25 })
      expect(status).toBe(200)
      expectWireValid(usageEvents, body, `page ${page}`)
      total = body.totalUsageEventsCount
      events.push(...body.usageEvents)
      if (!body.pagination.hasNextPage) break
    }
    expect(events.length).toBe(total)
    expect(total).toBeGreaterThan(20)
    const times = events.map((e) => Number(e.timestamp))
    expect([...times].sort((a, b) => b - a)).toEqual(times)
    expect(Math.min(...times)).toBeGreaterThanOrEqual(START)
    expect(Math.max(...times)).toBeLessThanOrEqual(END)
    // Token-based events carry tokenUsage; charged events cost something, included ones nothing.
    for (const e of events) {
      expect(e.isTokenBasedCall).toBe(e.tokenUsage !== undefined)
      if (!e.isChargeable) expect(e.chargedCents).toBe(0)
    }
  })

  it('has events only for the members the daily report shows active that day', async () => {
    const members = (
      (await (
        await fetch(`${sim.baseUrl}/teams/members`, {
          headers: { authorization: `Basic ${Buffer.from(`${sim.credentials.api_key}:`).toString('base64')}` },
        })
      ).json()) as any
    ).teamMembers
    const emails = new Set(members.map((m: any) => m.email))
    const daily = (await post('/teams/daily-usage-data', { startDate: START, endDate: START + DAY - 1 })).body.data
    const active = new Set(daily.map((r: any) => r.email))
    const { body } = await post('/teams/filtered-usage-events', { startDate: START, endDate: START + DAY - 1, pageSize: 500 })
    expect(body.usageEvents.length).toBeGreaterThan(0)
    for (const e of body.usageEvents) {
      expect(emails.has(e.userEmail)).toBe(true)
      expect(active.has(e.userEmail)).toBe(true)
    }
  })

  it('filters by email or user id', async () => {
    const one = (await post('/teams/filtered-usage-events', { startDate: START, endDate: END, pageSize: 500 })).body.usageEvents[0]
    const byEmail = (
      await post('/teams/filtered-usage-events', { startDate: START, endDate: END, pageSize: 500, email: one.userEmail.toUpperCase() })
    ).body
    expect(byEmail.usageEvents.length).toBeGreaterThan(0)
    expect(new Set(byEmail.usageEvents.map((e: any) => e.userEmail))).toEqual(new Set([one.userEmail]))
    const nobody = (await post('/teams/filtered-usage-events', { startDate: START, endDate: END, userId: 1 })).body
    expect(nobody.totalUsageEventsCount).toBe(0)
  })

  it('refuses a range over 30 days and an inverted one', async () => {
    expect(await post('/teams/filtered-usage-events', { startDate: START, endDate: START + 31 * DAY })).toEqual({
      status: 400,
      body: { error: 'Bad Request', message: 'Date range cannot exceed 30 days' },
    })
    expect((await post('/teams/filtered-usage-events', { startDate: END, endDate: START })).status).toBe(400)
  })

  it('serves nothing from the last hour, which Cursor is still aggregating', async () => {
    const now = Date.now()
    const { body } = await post('/teams/filtered-usage-events', { startDate: now - 2 * DAY, endDate: now, pageSize: 1000 })
    for (const e of body.usageEvents) expect(Number(e.timestamp)).toBeLessThanOrEqual(now - EVENTS_LAG_MS + 1_000)
  })
})
