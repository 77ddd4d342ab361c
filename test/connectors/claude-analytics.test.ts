/**
 * Claude with and without a Claude Enterprise Analytics key, on the simulator: the key is checked
 * when the account is created or patched (a wrong one is refused naming the field), and with it
 * `last_active_at` comes from /v1/organizations/analytics/users instead of the Claude Code report.
 * The simulator's analytics endpoint itself (its own key, lag, pagination, errors) is tested too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ANALYTICS_API_KEY, startSimulator } from '../../connectors/claude/simulator'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit'
import { walkAll } from '../support/gateway'
import { createAccount, routeVendor, USERS_PATH, useGateway } from './support/vendor-accounts'

const DAY = 86_400_000
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString().slice(0, 10)

/** Whether an analytics row shows activity, by the rule fieldSources states. */
function active(row: any): boolean {
  const office = Object.values(row.office_metrics ?? {}) as Array<{ message_count: number }>
  return (
    row.chat_metrics.message_count > 0 ||
    row.claude_code_metrics.core_metrics.distinct_session_count > 0 ||
    row.cowork_metrics.message_count > 0 ||
    row.cowork_metrics.action_count > 0 ||
    (row.design_metrics?.message_count ?? 0) > 0 ||
    office.some((o) => o.message_count > 0)
  )
}

describe('claude simulator: GET /v1/organizations/analytics/users', () => {
  let sim: RunningSimulator
  beforeAll(async () => {
    sim = await startSimulator({ seed: 3, users: 12 })
  })
  afterAll(() => sim?.close())
  const get = (query: string, key = ANALYTICS_API_KEY) =>
    fetch(`${sim.baseUrl}/v1/organizations/analytics/users?${query}`, { headers: key ? { 'x-api-key': key } : {} })

  it('refuses a missing key, a wrong key and the Admin key with 404, in Anthropic error shape', async () => {
    for (const key of ['', 'sk-ant-api01-wrong', sim.credentials.api_key]) {
      const res = await get(`date=${daysAgo(5)}`, key)
      expect(res.status).toBe(404)
      expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } })
    }
  })

  it('answers 400 for a missing or malformed date, a day before 2026-01-01 and a day under three days old', async () => {
    for (const query of ['', 'date=2026-13-01', 'date=2025-12-31', `date=${daysAgo(2)}`, `date=${daysAgo(0)}`]) {
      const res = await get(query)
      expect(res.status, query).toBe(400)
      expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } })
    }
    expect((await get(`date=${daysAgo(3)}`)).status).toBe(200)
  })

  it('pages with limit (default 100) and next_page, ending with null, the same rows at any page size', async () => {
    const all = await (await get(`date=${daysAgo(4)}`)).json()
    expect(all.data).toHaveLength(12)
    expect(all.next_page).toBeNull()
    const rows: unknown[] = []
    let page: string | null = null
    do {
      const body: any = await (await get(`date=${daysAgo(4)}&limit=5${page ? `&page=${encodeURIComponent(page)}` : ''}`)).json()
      rows.push(...body.data)
      page = body.next_page
    } while (page)
    expect(rows).toEqual(all.data)
    // A cursor belongs to its day.
    const first = await (await get(`date=${daysAgo(4)}&limit=5`)).json()
    expect((await get(`date=${daysAgo(5)}&page=${encodeURIComponent(first.next_page)}`)).status).toBe(400)
  })
})

describe('claude accounts with an Enterprise Analytics key', () => {
  const holder = useGateway()
  let sim: RunningSimulator
  beforeAll(async () => {
    sim = await startSimulator({ seed: 11, users: 20, variant: { invites: 'none' } })
    routeVendor(holder.g, 'claude', sim.baseUrl)
  })
  afterAll(() => sim?.close())

  it('refuses a wrong analytics key on create with 400 naming context.analytics_api_key', async () => {
    const res = await createAccount(holder.g, 'claude', { api_key: sim.credentials.api_key, analytics_api_key: 'sk-ant-api01-wrong' })
    expect(res.status).toBe(400)
    expect(res.body).toMatchObject({ code: 'invalid_credential', details: { field: 'context.analytics_api_key' } })
    expect(res.body.message).toContain('context.analytics_api_key')
  })

  it('takes last_active_at from the analytics users of the date asked, never calling the Claude Code report', async () => {
    const created = await createAccount(holder.g, 'claude', { api_key: sim.credentials.api_key, analytics_api_key: ANALYTICS_API_KEY })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const q = `integrated_account_id=${encodeURIComponent(created.body.id)}`
    const date = daysAgo(6)
    const rows: any[] = (
      await (
        await fetch(`${sim.baseUrl}/v1/organizations/analytics/users?date=${date}`, { headers: { 'x-api-key': ANALYTICS_API_KEY } })
      ).json()
    ).data
    const activeEmails = new Set(rows.filter(active).map((r) => r.user.email_address))
    expect(activeEmails.size).toBeGreaterThan(0)
    expect(activeEmails.size).toBeLessThan(20)

    const reportCalls = () => sim.requests.filter((r) => r.path === '/v1/organizations/usage_report/claude_code').length
    const before = reportCalls()
    const { records } = await walkAll(holder.g, `${USERS_PATH}?${q}&limit=7&date=${date}`)
    expect(records).toHaveLength(20)
    for (const user of records) {
      const expected = activeEmails.has(user.emails[0].email) ? `${date}T00:00:00.000Z` : null
      expect(user.last_active_at, user.emails[0].email).toBe(expected)
    }
    expect(reportCalls()).toBe(before)

    // Without `date`: three days ago, the latest day the API serves.
    const { body } = await holder.g.json(`${USERS_PATH}?${q}&limit=20`)
    const seen = body.result.map((u: any) => u.last_active_at).filter(Boolean)
    expect(new Set(seen)).toEqual(new Set([`${daysAgo(3)}T00:00:00.000Z`]))
  })

  it('a day the analytics API does not serve yet fails the list with its own message, not null activity', async () => {
    const created = await createAccount(holder.g, 'claude', { api_key: sim.credentials.api_key, analytics_api_key: ANALYTICS_API_KEY })
    const q = `integrated_account_id=${encodeURIComponent(created.body.id)}`
    const res = await holder.g.json(`${USERS_PATH}?${q}&date=${daysAgo(1)}`)
    expect(res.status, JSON.stringify(res.body)).toBe(400)
    expect(res.body.message).toContain(`the latest available day is ${daysAgo(3)}`)
  })

  it('without the key, the Claude Code report stays the source', async () => {
    const created = await createAccount(holder.g, 'claude', { api_key: sim.credentials.api_key })
    const q = `integrated_account_id=${encodeURIComponent(created.body.id)}`
    const analyticsCalls = () => sim.requests.filter((r) => r.path === '/v1/organizations/analytics/users').length
    const before = analyticsCalls()
    const { body } = await holder.g.json(`${USERS_PATH}?${q}&limit=20&date=2025-12-15`)
    expect(body.result.some((u: any) => u.last_active_at === '2025-12-15T00:00:00.000Z')).toBe(true)
    expect(analyticsCalls()).toBe(before)
  })

  it('checks an analytics key added by PATCH: a wrong one is refused and the account keeps working', async () => {
    const created = await createAccount(holder.g, 'claude', { api_key: sim.credentials.api_key })
    const patch = (analytics_api_key: string) =>
      holder.g.json(`/integrated-account/${created.body.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ context: { analytics_api_key } }),
      })
    const wrong = await patch('sk-ant-api01-wrong')
    expect(wrong.status).toBe(400)
    expect(wrong.body).toMatchObject({ code: 'invalid_credential', details: { field: 'context.analytics_api_key' } })
    expect((await patch(ANALYTICS_API_KEY)).status).toBe(200)
  })
})
