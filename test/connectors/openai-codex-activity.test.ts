/**
 * OpenAI Codex report_type=activity: the Codex Analytics API (api.chatgpt.com, its own scoped key
 * and a ChatGPT workspace id). The fixture gives the exact unified rows in both shape variants;
 * against the simulator, a period is one next_cursor walk equal to the vendor's own rows at odd
 * limits, every format answers, today's bucket is restated, and an account without the key or
 * the workspace answers 400 saying what to add, before any vendor call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { baseUrlOverrideKey } from '../../src/config/settings'
import { codexUsagePage, CODEX_USAGE_LAG_S } from '../../connectors/openai-codex/simulator/codex-analytics'
import { OpenAIWorld } from '../../connectors/openai-codex/simulator/data'
import { codexAnalyticsUsagePage } from '../../connectors/openai-codex/wire-schemas'
import activity from '../fixtures/openai-codex/codex-analytics-usage'
import { walkAll, type TestGateway } from '../support/gateway'
import { evaluatorOf } from './support/usage-mapping'
import { describeDocExamples, expectWireValid } from './support/wire-examples'
import { createAccount, simulatedAccount, useGateway, useReplayAccount, type VendorAccount } from './support/vendor-accounts'

const USAGE = '/unified/usage-metering/usage'
const ANALYTICS_PATH = '/analytics/codex/workspaces/ws-recorded/usage'
const NOV_1 = 1730419200
const NOV_2 = 1730505600
const DAY = 86_400

/** Points the connector's Codex Analytics base URL at `origin` (the simulator serves the vendor's path). */
const routeAnalytics = (g: TestGateway, origin: string) => {
  g.services.env[baseUrlOverrideKey('openai-codex', 'analytics')] = `${origin}/v1/analytics/codex`
}

const nullRequests = { chat: null, agent: null, composer: null, cmdk: null, tab_shown: null, tab_accepted: null, api_key: null }

describe('openai-codex activity: the documented shape → unified usage', () => {
  const vendor = useReplayAccount(
    'openai-codex',
    '/v1',
    {
      [`GET ${ANALYTICS_PATH}`]: activity,
      [`GET ${ANALYTICS_PATH}?page=${activity.next_page}`]: { object: 'page', data: [], has_more: false, next_page: null },
      'GET /organization/users': { object: 'list', data: [], first_id: null, last_id: null, has_more: false },
    },
    { api_key: 'sk-admin-recorded', analytics_api_key: 'sk-proj-analytics-recorded', workspace_id: 'ws-recorded' },
  )
  beforeAll(() => routeAnalytics(vendor.g, vendor.replay.origin))

  it('maps both row shapes exactly: one client is the surface, credits are the quantity, never a charge', async () => {
    const { status, body } = await vendor.g.json(`${USAGE}?${vendor.q}&report_type=activity&date=2024-11-01`)
    expect(status).toBe(200)
    expect(body.next_cursor).toBeNull()
    const [ada, grace] = body.result
    const common = {
      product: { id: 'codex', name: 'OpenAI Codex' },
      metric_name: 'codex_usage',
      resources: [{ id: 'ws-recorded', name: null, workspace: { id: 'ws-recorded', name: null } }],
      organization: null,
      model: null,
      charges: null,
      start_date: '2024-11-01T00:00:00.000Z',
      end_date: '2024-11-02T00:00:00.000Z',
      created_at: null,
      updated_at: null,
    }
    expect(ada.id).toMatch(/^codex_activity_[0-9a-f]{16}$/)
    expect(ada).toEqual({
      ...common,
      id: ada.id,
      user: { id: 'user-abc123', email: 'ada@example.com', name: 'Ada Lovelace' },
      surface: 'codex_cli',
      usage: {
        quantity: 12.5,
        unit: 'credits',
        tokens: { input: 120000 - 80000, output: 9000, cache_read: 80000, cache_creation: null },
        requests: { total: 37, ...nullRequests, included: null, usage_based: null, bugbot: null },
        sessions: { distinct: 4 },
        code: null,
        activity: { is_active: true, client_version: null, max_mode: null },
      },
      remote_data: activity.data[0],
    })
    expect(grace).toEqual({
      ...common,
      id: grace.id,
      // Flat user fields: no name given.
      user: { id: 'user-def456', email: 'grace@example.com', name: null },
      // Two clients: the row is spread over surfaces.
      surface: null,
      usage: {
        quantity: 4.25,
        unit: 'credits',
        tokens: { input: 30000, output: 2500, cache_read: 0, cache_creation: null },
        requests: { total: 12, ...nullRequests, included: null, usage_based: null, bugbot: null },
        sessions: { distinct: 3 },
        code: null,
        activity: { is_active: true, client_version: null, max_mode: null },
      },
      remote_data: activity.data[1],
    })
    expect(new Set([ada.id, grace.id]).size).toBe(2)
  })

  it('asks the analytics host for the day in unix seconds, daily buckets, pages with page ← next_page', async () => {
    const sent = vendor.replay.requests.filter((r) => r.path === `/v1${ANALYTICS_PATH}`).map((r) => new URLSearchParams(r.query))
    expect(sent.map((q) => [q.get('start_time'), q.get('end_time'), q.get('group_by'), q.get('page')])).toEqual([
      [String(NOV_1), String(NOV_2), 'day', null],
      [String(NOV_1), String(NOV_2), 'day', activity.next_page],
    ])
    expect(sent.every((q) => Number(q.get('limit')) >= 1 && Number(q.get('limit')) <= 100)).toBe(true)
  })

  it('the mapping runs compiled', async () => {
    expect(await evaluatorOf('openai-codex/codex-analytics.jsonata')).toBe('closures')
  })
})

describeDocExamples('openai-codex activity', [['codex-analytics-usage', codexAnalyticsUsagePage, activity]])

describe('openai-codex accounts without the Codex Analytics key or workspace', () => {
  const holder = useGateway()
  let account: VendorAccount
  beforeAll(async () => {
    account = await simulatedAccount(holder.g, 'openai-codex', { users: 5, seed: 3 })
    routeAnalytics(holder.g, account.sim.origin)
  })
  afterAll(() => account?.sim.close())

  it.each([
    [{ api_key: 'sk-admin-sandbox-unimeter' }, ['context.analytics_api_key', 'context.workspace_id']],
    [{ api_key: 'sk-admin-sandbox-unimeter', analytics_api_key: 'sk-proj-codex-analytics-sandbox-unimeter' }, ['context.workspace_id']],
  ])('%j → 400 naming what to add, before any vendor call; the other reports still answer', async (context, missing) => {
    const created = await createAccount(holder.g, 'openai-codex', context)
    expect(created.status).toBe(201)
    const q = `integrated_account_id=${encodeURIComponent(created.body.id)}`
    const before = account.sim.requests.length
    const res = await holder.g.json(`${USAGE}?${q}&report_type=activity`)
    expect(res.status).toBe(400)
    expect(res.body.message).toContain('OpenAI Codex cannot serve report_type=activity for this account')
    expect(res.body.message).toContain('codex.enterprise.analytics.read')
    expect(res.body.details.missing_context).toEqual(missing)
    expect(account.sim.requests.length).toBe(before)
    expect((await holder.g.json(`${USAGE}?${q}&report_type=cost`)).status).toBe(200)
  })

  it('a key without the analytics scope gets the vendor’s refusal, passed on with its message', async () => {
    const created = await createAccount(holder.g, 'openai-codex', {
      api_key: 'sk-admin-sandbox-unimeter',
      analytics_api_key: 'sk-admin-sandbox-unimeter',
      workspace_id: account.sim.context.workspace_id as string,
    })
    const res = await holder.g.json(`${USAGE}?integrated_account_id=${encodeURIComponent(created.body.id)}&report_type=activity`)
    expect(res.status).toBe(401)
    expect(res.body.message).toContain('Missing scopes: codex.enterprise.analytics.read')
  })
})

describe('openai-codex activity against the simulator', () => {
  const holder = useGateway()
  let account: VendorAccount
  let q = ''
  beforeAll(async () => {
    account = await simulatedAccount(holder.g, 'openai-codex', { users: 14, seed: 11 })
    routeAnalytics(holder.g, account.sim.origin)
    q = `integrated_account_id=${encodeURIComponent(account.accountId)}&report_type=activity`
  })
  afterAll(() => account?.sim.close())

  const today = Math.floor(Date.now() / 1000 / DAY) * DAY
  const iso = (t: number) => new Date(t * 1000).toISOString().slice(0, 10)
  const START = today - 20 * DAY
  const PERIOD = `start_date=${iso(START)}&end_date=${iso(today - 2 * DAY)}`

  /** The vendor's own rows over the period, read with its largest pages. */
  const vendorRows = async () => {
    const rows: unknown[] = []
    let page: string | null = null
    do {
      const url: string = `${account.sim.origin}/v1/analytics/codex/workspaces/${account.sim.context.workspace_id}/usage?start_time=${START}&end_time=${today - 2 * DAY}&limit=500${page ? `&page=${page}` : ''}`
      const res: Response = await fetch(url, { headers: { authorization: `Bearer ${account.sim.credentials.analytics_api_key}` } })
      const body = (await res.json()) as { data: unknown[]; has_more: boolean; next_page: string | null }
      expectWireValid(codexAnalyticsUsagePage, body, 'simulator page')
      rows.push(...body.data)
      page = body.has_more ? body.next_page : null
    } while (page)
    return rows
  }

  it.each([3, 7, 100, 1000])('walks 18 days as one next_cursor walk equal to the vendor’s rows at limit=%i', async (limit) => {
    const expected = await vendorRows()
    expect(expected.length).toBeGreaterThan(100)
    const { records, pages } = await walkAll(holder.g, `${USAGE}?${q}&${PERIOD}&limit=${limit}`)
    expect(records.map((r) => r.remote_data)).toEqual(expected)
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length)
    expect(records[0].start_date).toBe(`${iso(START)}T00:00:00.000Z`)
    if (limit < expected.length) expect(pages).toBeGreaterThan(1)
  })

  it('rows name the organization’s members; a client alone is the surface; the same day keeps its ids', async () => {
    const users = await walkAll(
      holder.g,
      `/unified/usage-metering/users?integrated_account_id=${encodeURIComponent(account.accountId)}&limit=1000`,
    )
    const members = new Map(users.records.map((u) => [u.id, u]))
    const day = `date=${iso(today - 3 * DAY)}`
    const a = await walkAll(holder.g, `${USAGE}?${q}&${day}&limit=2`)
    const b = await walkAll(holder.g, `${USAGE}?${q}&${day}&limit=1000`)
    expect(a.records.map((r) => r.id)).toEqual(b.records.map((r) => r.id))
    expect(b.records.length).toBeGreaterThan(0)
    expect(b.records.map((r) => r.user)).toEqual(
      b.records.map((r) => ({ id: r.user.id, email: members.get(r.user.id)?.emails[0].email, name: members.get(r.user.id)?.name })),
    )
    for (const r of b.records) {
      const clients = r.remote_data.clients.map((c: { client: string }) => c.client.toLowerCase())
      expect(r.surface).toBe(clients.length === 1 ? clients[0] : null)
      expect(r.usage.sessions.distinct).toBe(r.remote_data.threads)
      expect(r.usage.requests.total).toBe(r.remote_data.turns)
    }
  })

  it('every format answers: normalized, raw, stream and debug', async () => {
    const unified = await walkAll(holder.g, `${USAGE}?${q}&${PERIOD}&limit=1000`)
    const normalized = await walkAll(holder.g, `${USAGE}?${q}&${PERIOD}&limit=1000&truto_response_format=normalized`)
    expect(normalized.records.map((r) => r.id)).toEqual(unified.records.map((r) => r.id))
    const stream = await holder.g.api(`${USAGE}?${q}&${PERIOD}&limit=7&truto_response_format=stream`)
    const lines = (await stream.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines.map((r) => r.id)).toEqual(unified.records.map((r) => r.id))
    const raw = await holder.g.json(`${USAGE}?${q}&date=${iso(today - 3 * DAY)}&truto_response_format=raw`)
    expect(raw.status).toBe(200)
    expect(Array.isArray(raw.body.data)).toBe(true)
    const debug = await holder.g.json(`${USAGE}?${q}&date=${iso(today - 3 * DAY)}&truto_response_format=debug`)
    expect(debug.body.debug.requestUrl).toContain(`/v1/analytics/codex/workspaces/${account.sim.context.workspace_id}/usage?`)
    expect(debug.body.debug.requestUrl).toContain(`start_time=${today - 3 * DAY}`)
  })

  it('the simulator refuses a missing key, the Admin key and another workspace in OpenAI’s error shape', async () => {
    const url = (ws: string) => `${account.sim.origin}/v1/analytics/codex/workspaces/${ws}/usage?start_time=${today - DAY}`
    const get = async (ws: string, key?: string) => {
      const res = await fetch(url(ws), { headers: key ? { authorization: `Bearer ${key}` } : {} })
      return { status: res.status, body: (await res.json()) as { error: Record<string, unknown> } }
    }
    const ws = account.sim.context.workspace_id as string
    expect((await get(ws)).status).toBe(401)
    const admin = await get(ws, account.sim.credentials.api_key)
    expect(admin.status).toBe(401)
    expect(admin.body.error).toMatchObject({ type: 'invalid_request_error', param: null })
    expect((await get('other-workspace', account.sim.credentials.analytics_api_key)).status).toBe(403)
    const bad = async (query: string) =>
      (
        await fetch(`${account.sim.origin}/v1/analytics/codex/workspaces/${ws}/usage?${query}`, {
          headers: { authorization: `Bearer ${account.sim.credentials.analytics_api_key}` },
        })
      ).json()
    expect((await bad(`start_time=${today - 91 * DAY}`)).error.param).toBe('start_time')
    expect((await bad(`start_time=${today - DAY}&group_by=month`)).error.param).toBe('group_by')
    expect((await bad(`start_time=${today - DAY}&limit=501`)).error.param).toBe('limit')
    expect((await bad(`start_time=${today - DAY}&page=nope`)).error.param).toBe('page')
  })
})

describe('openai-codex simulator: Codex activity of today is restated, weeks add up the days', () => {
  const world = new OpenAIWorld({ seed: 11, users: 30, domain: 'example.com', fields: 'mixed' })
  const today = Date.UTC(2026, 9, 5) / 1000
  const read = (now: number) =>
    codexUsagePage(world, new URLSearchParams(`start_time=${today - DAY}&end_time=${today + DAY}&limit=500`), now).data as Array<{
      start_time: number
      turns: number
    }>
  const turnsOn = (rows: Array<{ start_time: number; turns: number }>, day: number) =>
    rows.filter((r) => r.start_time === day).reduce((n, r) => n + r.turns, 0)

  it('today’s bucket grows between reads while yesterday’s stays as it was', () => {
    const [morning, evening, tomorrow] = [today + 8 * 3600, today + 20 * 3600, today + DAY + CODEX_USAGE_LAG_S].map(read)
    expect(morning.filter((r) => r.start_time < today)).toEqual(tomorrow.filter((r) => r.start_time < today))
    expect(turnsOn(morning, today)).toBeGreaterThan(0)
    expect(turnsOn(evening, today)).toBeGreaterThan(turnsOn(morning, today))
    expect(turnsOn(tomorrow, today)).toBeGreaterThanOrEqual(turnsOn(evening, today))
    expect(read(today + CODEX_USAGE_LAG_S - 1).filter((r) => r.start_time === today)).toEqual([])
  })

  it('a week bucket holds its days’ totals; group=workspace has one row per bucket and no user', () => {
    const monday = Date.UTC(2026, 8, 28) / 1000
    const now = monday + 9 * DAY
    const page = (query: string) =>
      codexUsagePage(world, new URLSearchParams(`start_time=${monday}&end_time=${monday + 7 * DAY}&limit=500${query}`), now)
    const days = page('').data as Array<{ turns: number }>
    const week = page('&group_by=week&group=workspace').data as Array<{ turns: number; start_time: number; user?: unknown }>
    expect(week).toHaveLength(1)
    expect(week[0]).toMatchObject({ start_time: monday })
    expect(week[0].user).toBeUndefined()
    expect(week[0].turns).toBe(days.reduce((n, r) => n + r.turns, 0))
  })
})

describe('openai-codex activity on the sandbox account', () => {
  const holder = useGateway({ sandbox: true })

  it('reaches the simulator’s Codex Analytics API at its origin, with the sandbox key and workspace', async () => {
    const sim = holder.g.sandbox!.simulators.get('openai-codex')!
    const { records } = await walkAll(holder.g, `${USAGE}?integrated_account_id=sandbox-openai-codex&report_type=activity&limit=1000`)
    expect(records.length).toBeGreaterThan(0)
    expect(records.every((r) => r.product.id === 'codex' && r.resources[0].id === sim.context.workspace_id)).toBe(true)
    expect(sim.requests.some((r) => r.path === `/v1/analytics/codex/workspaces/${sim.context.workspace_id}/usage`)).toBe(true)
  })
})
