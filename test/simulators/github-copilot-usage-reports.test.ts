/**
 * The GitHub simulator's per-user Copilot usage reports: links to NDJSON files signed and
 * expiring, fetched without the token, holding the seat holders active that day; days that are
 * not over, too old or malformed are refused as GitHub does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator } from '../../connectors/github-copilot/simulator'
import { usageReportLinks, usageReportUser } from '../../connectors/github-copilot/wire-schemas'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit'
import { expectWireValid } from '../connectors/support/wire-examples'

const DAY = 86_400_000
const dayText = (ms: number) => new Date(ms).toISOString().slice(0, 10)
const today = Math.floor(Date.now() / DAY) * DAY

describe('GitHub simulator: users-1-day reports', () => {
  let sim: RunningSimulator
  const report = async (day: string) => {
    const res = await fetch(`${sim.baseUrl}/orgs/unimeter-sandbox/copilot/metrics/reports/users-1-day?day=${day}`, {
      headers: { authorization: `Bearer ${sim.credentials.api_key}` },
    })
    return { status: res.status, body: (await res.json()) as any }
  }
  beforeAll(async () => {
    sim = await startSimulator({ seed: 5, users: 120 })
  })
  afterAll(() => sim.close())

  it('links the day’s files; fetched without a token they hold the active seat holders, once each', async () => {
    // A weekday a week or two back, so the files are not empty.
    let day = today - 7 * DAY
    while (new Date(day).getUTCDay() % 6 === 0) day -= DAY
    const { status, body } = await report(dayText(day))
    expect(status).toBe(200)
    expectWireValid(usageReportLinks, body, 'links')
    expect(body.report_day).toBe(dayText(day))
    expect(body.download_links.length).toBeGreaterThan(1)
    const seats = (await (
      await fetch(`${sim.baseUrl}/orgs/unimeter-sandbox/copilot/billing/seats?per_page=100&page=1`, {
        headers: { authorization: `Bearer ${sim.credentials.api_key}` },
      })
    ).json()) as any
    const logins = new Set(seats.seats.map((s: any) => s.assignee.login))
    const users: any[] = []
    for (const link of body.download_links) {
      const res = await fetch(link)
      expect(res.status).toBe(200)
      for (const line of (await res.text()).split('\n').filter(Boolean)) users.push(JSON.parse(line))
    }
    expect(new Set(users.map((u) => u.user_id)).size).toBe(users.length)
    for (const u of users) {
      expectWireValid(usageReportUser, u, u.user_login)
      expect(u.day).toBe(dayText(day))
      if (Number(u.user_login.split('-').pop()) < 100) expect(logins.has(u.user_login)).toBe(true)
    }
  })

  it('refuses a tampered link (403) and one sent with the GitHub token (400)', async () => {
    const { body } = await report(dayText(today - 3 * DAY))
    const link = new URL(body.download_links[0])
    const tampered = new URL(link)
    tampered.searchParams.set('se', String(Number(link.searchParams.get('se')) + 1))
    expect((await fetch(tampered)).status).toBe(403)
    const forged = new URL(link)
    forged.pathname = forged.pathname.replace(/-0\.ndjson$/, '-1.ndjson')
    expect((await fetch(forged)).status).toBe(403)
    expect((await fetch(link, { headers: { authorization: `Bearer ${sim.credentials.api_key}` } })).status).toBe(400)
  })

  it('has no report for today, the future, before 2025-10-10 or over a year back; 422 for a bad day', async () => {
    expect((await report(dayText(today))).status).toBe(404)
    expect((await report(dayText(today + DAY))).status).toBe(404)
    expect((await report('2025-10-09')).status).toBe(404)
    expect((await report(dayText(today - 400 * DAY))).status).toBe(404)
    expect((await report('2025-13-01')).status).toBe(422)
    expect((await report('yesterday')).status).toBe(422)
  })
})
