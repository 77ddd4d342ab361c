/**
 * Claude usage (report `activity`: the Claude Code usage report). Anthropic's documented example
 * gives the exact unified row; against the simulator, a period is walked one day per request
 * as one next_cursor walk at odd limits, every format answers, ids are stable, and parameters
 * the endpoint cannot honour answer 400 naming what it supports.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import report from '../fixtures/claude/usage-report-claude-code'
import { walkAll } from '../support/gateway'
import { simulatedAccount, useGateway, useReplayAccount, type VendorAccount } from './support/vendor-accounts'

const USAGE = '/unified/usage-metering/usage'
const END_OF_REPORT = { data: [], has_more: false, next_page: null }

describe('claude usage: the documented Claude Code report example → unified usage', () => {
  const vendor = useReplayAccount(
    'claude',
    '',
    {
      'GET /v1/organizations/me': { id: '12345678-1234-5678-1234-567812345678', type: 'organization', name: 'Organization Name' },
      'GET /v1/organizations/usage_report/claude_code': report,
      [`GET /v1/organizations/usage_report/claude_code?page=${report.next_page}`]: END_OF_REPORT,
    },
    { api_key: 'sk-ant-admin01-recorded' },
  )

  it('maps the row exactly: tokens and cost summed over models, code and tool actions, the day as the bucket', async () => {
    const { status, body } = await vendor.g.json(`${USAGE}?${vendor.q}&date=2025-08-08`)
    expect(status).toBe(200)
    expect(body.next_cursor).toBeNull()
    expect(body.result).toHaveLength(1)
    const [row] = body.result
    expect(row.id).toMatch(/^claude_code_[0-9a-f]{16}$/)
    expect(row).toEqual({
      id: row.id,
      product: { id: 'claude_code', name: 'Claude Code' },
      metric_name: 'claude_code_usage',
      resources: null,
      organization: { id: '12345678-1234-5678-1234-567812345678', name: null },
      user: { id: null, email: 'user@emaildomain.com', name: null },
      // Two models in the row: no single model.
      model: null,
      surface: 'claude_code',
      charges: [{ amount: 186 + 42, currency: 'USD', type: 'total' }],
      usage: {
        quantity: null,
        unit: null,
        tokens: { input: 45230 + 23100, output: 12450 + 5680, cache_read: 8790 + 3420, cache_creation: 2340 + 890 },
        requests: null,
        sessions: { distinct: 15 },
        code: {
          lines_added: 342,
          lines_removed: 128,
          accepted_lines_added: null,
          accepted_lines_removed: null,
          accepts: 25 + 12 + 5 + 8,
          rejects: 3 + 1 + 2 + 0,
          applies: null,
          commits: 8,
          pull_requests: 2,
          tool_actions: report.data[0].tool_actions,
        },
        activity: { is_active: true, client_version: null, max_mode: null },
      },
      start_date: '2025-08-08T00:00:00.000Z',
      end_date: '2025-08-09T00:00:00.000Z',
      created_at: null,
      updated_at: null,
      remote_data: report.data[0],
    })
    // The day asked for, both pages of it.
    const sent = vendor.replay.requests
      .filter((r) => r.path === '/v1/organizations/usage_report/claude_code')
      .map((r) => new URLSearchParams(r.query))
    expect(sent.map((q) => [q.get('starting_at'), q.get('page')])).toEqual([
      ['2025-08-08', null],
      ['2025-08-08', report.next_page],
    ])
  })
})

describe('claude usage against the simulator', () => {
  const holder = useGateway()
  let account: VendorAccount
  let q = ''
  beforeAll(async () => {
    account = await simulatedAccount(holder.g, 'claude', { users: 40, seed: 7 })
    q = `integrated_account_id=${encodeURIComponent(account.accountId)}`
  })
  afterAll(async () => {
    await account?.sim.close()
  })

  // A period alone picks report usage (Truto's rule): activity is asked for by name.
  const PERIOD = 'start_date=2026-11-02&end_date=2026-11-07&report_type=activity'
  /** The vendor's own rows of each day, read day by day in one page each. */
  const vendorRows = async () => {
    const rows: Array<Record<string, unknown>> = []
    for (const day of ['2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06']) {
      const res = await fetch(`${account.sim.baseUrl}/v1/organizations/usage_report/claude_code?starting_at=${day}&limit=1000`, {
        headers: { 'x-api-key': account.sim.credentials.api_key, 'anthropic-version': '2023-06-01' },
      })
      rows.push(...(await res.json()).data)
    }
    return rows
  }

  it.each([3, 7, 1000])('walks five days, one request per day, as one next_cursor walk at limit=%i', async (limit) => {
    const expected = await vendorRows()
    expect(expected.length).toBeGreaterThan(limit === 1000 ? 0 : limit)
    const { records, pages } = await walkAll(holder.g, `${USAGE}?${q}&${PERIOD}&limit=${limit}`)
    expect(records.map((r) => r.remote_data)).toEqual(expected)
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length)
    if (limit < expected.length) expect(pages).toBeGreaterThan(1)
  })

  it('the same bucket keeps its id on every listing; people carry their simulator email', async () => {
    const a = await walkAll(holder.g, `${USAGE}?${q}&date=2026-11-03&limit=5`)
    const b = await walkAll(holder.g, `${USAGE}?${q}&date=2026-11-03&limit=1000`)
    expect(a.records.map((r) => r.id)).toEqual(b.records.map((r) => r.id))
    const users = await walkAll(holder.g, `/unified/usage-metering/users?${q}&limit=1000`)
    const emails = new Set(users.records.flatMap((u) => u.emails.map((e: { email: string }) => e.email)))
    const people = a.records.filter((r) => r.user)
    expect(people.length).toBeGreaterThan(0)
    expect(people.every((r) => emails.has(r.user.email))).toBe(true)
  })

  it('every format answers: normalized, raw, stream and debug', async () => {
    const unified = await walkAll(holder.g, `${USAGE}?${q}&${PERIOD}&limit=1000`)
    const normalized = await walkAll(holder.g, `${USAGE}?${q}&${PERIOD}&limit=1000&truto_response_format=normalized`)
    expect(normalized.records.map((r) => r.id)).toEqual(unified.records.map((r) => r.id))
    expect(Object.keys(normalized.records[0]).sort()).toEqual(Object.keys(unified.records[0]).sort())
    const stream = await holder.g.api(`${USAGE}?${q}&${PERIOD}&limit=4&truto_response_format=stream`)
    const lines = (await stream.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines.map((r) => r.id)).toEqual(unified.records.map((r) => r.id))
    const raw = await holder.g.json(`${USAGE}?${q}&date=2026-11-03&truto_response_format=raw`)
    expect(raw.status).toBe(200)
    expect(Array.isArray(raw.body.data)).toBe(true)
    const debug = await holder.g.json(`${USAGE}?${q}&date=2026-11-03&truto_response_format=debug`)
    expect(debug.body.debug.requestUrl).toContain('starting_at=2026-11-03')
    const excluded = await holder.g.json(`${USAGE}?${q}&date=2026-11-03&truto_exclude_fields=usage.code,remote_data&limit=2`)
    expect(excluded.body.result[0].usage.code).toBeUndefined()
    expect(excluded.body.result[0].remote_data).toBeUndefined()
  })

  it.each([
    ['report_type=summary', 'Claude has no report_type "summary" here; it supports: activity, usage, cost'],
    ['group_by[]=model', "Claude's report_type=activity does not support group_by; it supports: date, end_date, report_type, start_date"],
    ['user_ids[]=user_1', "Claude's report_type=activity does not support user_ids; it supports: date, end_date, report_type, start_date"],
    ['date=2026-11-03&start_date=2026-11-01', 'Give either date or start_date/end_date, not both'],
    ['start_date=2026-11-05&end_date=2026-11-01', 'end_date must be after start_date'],
    ['bucket_width=week', 'Invalid query: bucket_width:'],
  ])('%s → 400 saying what Claude supports, before any vendor call', async (params, message) => {
    const before = account.sim.requests.length
    const res = await holder.g.json(`${USAGE}?${q}&${params}`)
    expect(res.status).toBe(400)
    expect(res.body.message).toContain(message)
    expect(account.sim.requests.length).toBe(before)
  })

  it('a cursor of one report cannot go on as another', async () => {
    const first = await holder.g.json(`${USAGE}?${q}&${PERIOD}&limit=2`)
    expect(first.body.next_cursor).toBeTruthy()
    const res = await holder.g.json(`${USAGE}?${q}&report_type=usage&next_cursor=${encodeURIComponent(first.body.next_cursor)}`)
    expect(res.status).toBe(400)
  })
})
