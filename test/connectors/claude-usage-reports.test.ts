/**
 * Claude usage, reports `usage` (the messages usage report) and `cost` (the cost report). The
 * documented shapes give exact unified rows (cost amounts, decimal strings in cents, exactly);
 * against the simulator a period longer than one request's span is one next_cursor walk equal
 * to the vendor's own rows, a period picks `usage` by default, the still-filling day is restated
 * under the same ids, and combinations the reports cannot honour answer 400 before any call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { costReport, messagesUsageReport } from '../../connectors/claude/wire-schemas'
import costExample from '../fixtures/claude/cost-report'
import messagesExample from '../fixtures/claude/usage-report-messages'
import { walkAll } from '../support/gateway'
import { simulatedAccount, useGateway, useReplayAccount, type VendorAccount } from './support/vendor-accounts'

const USAGE = '/unified/usage-metering/usage'
const END = { data: [], has_more: false, next_page: null }

describe('claude usage reports: the documented shapes → unified usage', () => {
  const vendor = useReplayAccount(
    'claude',
    '',
    {
      'GET /v1/organizations/me': { id: '12345678-1234-5678-1234-567812345678', type: 'organization', name: 'Organization Name' },
      'GET /v1/organizations/usage_report/messages': messagesExample,
      [`GET /v1/organizations/usage_report/messages?page=${messagesExample.next_page}`]: END,
      'GET /v1/organizations/cost_report': costExample,
    },
    { api_key: 'sk-ant-admin01-recorded' },
  )
  const PERIOD = 'start_date=2025-08-01&end_date=2025-08-02'

  it('report_type=usage: one row per bucket result, tokens in the unified names', async () => {
    const { status, body } = await vendor.g.json(`${USAGE}?${vendor.q}&${PERIOD}&report_type=usage`)
    expect(status).toBe(200)
    expect(body.result).toHaveLength(1)
    const [row] = body.result
    expect(row.id).toMatch(/^claude_messages_[0-9a-f]{16}$/)
    const result = messagesExample.data[0].results[0]
    expect(row).toEqual({
      id: row.id,
      product: { id: 'claude_api', name: 'Claude API' },
      metric_name: 'messages_usage',
      resources: [{ id: 'apikey_01Rj2N8SVvo6BePZj99NhmiT', name: null, workspace: { id: 'wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ', name: null } }],
      organization: null,
      user: null,
      model: { id: 'claude-sonnet-4-20250514', provider: 'anthropic' },
      surface: 'api',
      charges: null,
      usage: {
        quantity: null,
        unit: null,
        tokens: { input: 1500, output: 500, cache_read: 200, cache_creation: 500 + 1000 },
        requests: null,
        sessions: null,
        code: null,
        activity: null,
      },
      start_date: '2025-08-01T00:00:00.000Z',
      end_date: '2025-08-02T00:00:00.000Z',
      created_at: null,
      updated_at: null,
      remote_data: { starting_at: '2025-08-01T00:00:00Z', ending_at: '2025-08-02T00:00:00Z', ...result },
    })
    const sent = vendor.replay.requests
      .filter((r) => r.path === '/v1/organizations/usage_report/messages')
      .map((r) => new URLSearchParams(r.query))
    expect(sent[0].get('starting_at')).toBe('2025-08-01T00:00:00Z')
    expect(sent[0].get('ending_at')).toBe('2025-08-02T00:00:00Z')
    expect(sent[0].get('bucket_width')).toBe('1d')
    expect(sent[0].getAll('group_by[]')).toEqual(['model', 'workspace_id', 'api_key_id'])
    expect(sent.map((q) => q.get('page'))).toEqual([null, messagesExample.next_page])
  })

  it('report_type=cost: amounts are the decimal cent strings, exactly; the currency as given', async () => {
    const { status, body } = await vendor.g.json(`${USAGE}?${vendor.q}&${PERIOD}&report_type=cost`)
    expect(status).toBe(200)
    expect(body.result).toHaveLength(2)
    const [tokens, search] = body.result
    expect(tokens.charges).toEqual([{ amount: 123.45, currency: 'USD', type: 'total' }])
    expect(tokens.model).toEqual({ id: 'claude-sonnet-4-20250514', provider: 'anthropic' })
    expect(tokens.resources).toEqual([
      { id: 'wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ', name: null, workspace: { id: 'wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ', name: null } },
    ])
    expect(tokens.metric_name).toBe('cost')
    expect(tokens.start_date).toBe('2025-08-01T00:00:00.000Z')
    expect(tokens.end_date).toBe('2025-08-02T00:00:00.000Z')
    expect(search.charges).toEqual([{ amount: 0.1, currency: 'USD', type: 'total' }])
    expect(search.model).toBeNull()
    expect(search.resources).toBeNull()
    expect(search.remote_data.description).toBe('Web Search')
    expect(new Set(body.result.map((r: { id: string }) => r.id)).size).toBe(2)
  })
})

describe('claude usage reports against the simulator', () => {
  const holder = useGateway()
  let account: VendorAccount
  let q = ''
  beforeAll(async () => {
    account = await simulatedAccount(holder.g, 'claude', { users: 10, seed: 11 })
    q = `integrated_account_id=${encodeURIComponent(account.accountId)}`
  })
  afterAll(async () => {
    await account?.sim.close()
  })

  /** The vendor's own pages, walked with its next_page, as one list of results with their bucket. */
  const vendorRows = async (path: string, params: string) => {
    const rows: Array<Record<string, unknown>> = []
    let page: string | null = null
    do {
      const url: string = `${account.sim.baseUrl}${path}?${params}&limit=31${page ? `&page=${encodeURIComponent(page)}` : ''}`
      const res = await fetch(url, { headers: { 'x-api-key': account.sim.credentials.api_key, 'anthropic-version': '2023-06-01' } })
      expect(res.status).toBe(200)
      const body = await res.json()
      expect(messagesUsageReport.safeParse(body).success || costReport.safeParse(body).success).toBe(true)
      for (const bucket of body.data)
        for (const r of bucket.results) rows.push({ starting_at: bucket.starting_at, ending_at: bucket.ending_at, ...r })
      page = body.has_more ? body.next_page : null
    } while (page)
    return rows
  }

  // 40 days: two windows of at most 31 days, each paged by the vendor.
  const PERIOD = 'start_date=2026-09-01&end_date=2026-10-11'
  const VENDOR_PERIOD = 'starting_at=2026-09-01T00:00:00Z&ending_at=2026-10-11T00:00:00Z'

  it.each([97, 1000])(
    'a period picks report usage; 40 days walk as one next_cursor walk equal to the vendor rows (limit=%i)',
    async (limit) => {
      const expected = await vendorRows(
        '/v1/organizations/usage_report/messages',
        `${VENDOR_PERIOD}&bucket_width=1d&group_by[]=model&group_by[]=workspace_id&group_by[]=api_key_id`,
      )
      expect(expected.length).toBeGreaterThan(40)
      const { records, pages } = await walkAll(holder.g, `${USAGE}?${q}&${PERIOD}&limit=${limit}`)
      expect(records.map((r) => r.remote_data)).toEqual(expected)
      expect(records.every((r) => r.metric_name === 'messages_usage')).toBe(true)
      expect(new Set(records.map((r) => r.id)).size).toBe(records.length)
      if (limit < expected.length) expect(pages).toBeGreaterThan(1)
    },
  )

  it('hour buckets of a day sum to its day bucket; group_by and model_ids reach the vendor', async () => {
    const day = 'start_date=2026-09-03&end_date=2026-09-04&report_type=usage&group_by[]=model&model_ids[]=claude-sonnet-4-20250514'
    const daily = await walkAll(holder.g, `${USAGE}?${q}&${day}&limit=1000`)
    const hourly = await walkAll(holder.g, `${USAGE}?${q}&${day}&bucket_width=hour&limit=1000`)
    expect(daily.records).toHaveLength(1)
    expect(daily.records[0].model.id).toBe('claude-sonnet-4-20250514')
    expect(daily.records[0].resources).toBeNull()
    expect(hourly.records.length).toBeGreaterThan(1)
    const sum = hourly.records.reduce((n, r) => n + r.usage.tokens.input, 0)
    expect(sum).toBe(daily.records[0].usage.tokens.input)
  })

  it('report_type=cost walks the same period; amounts equal the vendor strings exactly', async () => {
    const expected = await vendorRows('/v1/organizations/cost_report', `${VENDOR_PERIOD}&group_by[]=workspace_id&group_by[]=description`)
    const { records } = await walkAll(holder.g, `${USAGE}?${q}&${PERIOD}&report_type=cost&limit=200`)
    expect(records.map((r) => r.remote_data)).toEqual(expected)
    for (const r of records) expect(r.charges).toEqual([{ amount: Number(r.remote_data.amount), currency: 'USD', type: 'total' }])
    expect(records.some((r) => String(r.remote_data.amount).includes('.'))).toBe(true)
  })

  it('restatement: a re-read of the still-filling day updates the same ids with more tokens', async () => {
    const today = new Date().toISOString().slice(0, 10)
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
    const url = `${USAGE}?${q}&start_date=${today}&end_date=${tomorrow}&report_type=usage&limit=1000`
    const first = await walkAll(holder.g, url)
    const second = await walkAll(holder.g, url)
    expect(first.records.length).toBeGreaterThan(0)
    expect(second.records.map((r) => r.id)).toEqual(first.records.map((r) => r.id))
    const total = (rs: typeof first.records) => rs.reduce((n, r) => n + r.usage.tokens.input, 0)
    expect(total(second.records)).toBeGreaterThan(total(first.records))
  })

  it('without report_type or a period, the Claude Code report answers (activity)', async () => {
    const { status, body } = await holder.g.json(`${USAGE}?${q}&date=2026-09-03`)
    expect(status).toBe(200)
    expect(body.result.every((r: { metric_name: string }) => r.metric_name === 'claude_code_usage')).toBe(true)
  })

  it.each([
    ['report_type=cost&bucket_width=hour', "Claude's report_type=cost does not support bucket_width=hour; it supports: day"],
    ['report_type=cost&model_ids[]=claude-sonnet-4-20250514', "Claude's report_type=cost does not support model_ids"],
    [
      'report_type=usage&group_by[]=user',
      "Claude's report_type=usage does not support group_by=user; it supports: model, workspace, api_key",
    ],
    ['start_date=2026-09-01&user_ids[]=user_1', "Claude's report_type=usage does not support user_ids"],
    ['report_type=user_cost', 'Claude has no report_type "user_cost" here; it supports: activity, usage, cost'],
  ])('%s → 400 naming what the report supports, before any vendor call', async (params, message) => {
    const before = account.sim.requests.length
    const res = await holder.g.json(`${USAGE}?${q}&${params}`)
    expect(res.status).toBe(400)
    expect(res.body.message).toContain(message)
    expect(account.sim.requests.length).toBe(before)
  })
})
