/**
 * OpenAI Codex usage (report `usage`: completions token buckets; report `cost`: the costs API).
 * The reference's examples give the exact unified rows; against the simulator, a 40-day period
 * (two windows of at most 31 days, paged by buckets) is one next_cursor walk equal to the
 * vendor's own rows, a cost's amount reads the same as a number and as a string, and parameters
 * the endpoints cannot honour answer 400 naming what they support.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OpenAIWorld } from '../../connectors/openai-codex/simulator/data'
import { completionsUsagePage, USAGE_LAG_S } from '../../connectors/openai-codex/simulator/usage'
import { openaiCompletionsUsagePage, openaiCostsPage } from '../../connectors/openai-codex/wire-schemas'
import costs from '../fixtures/openai-codex/costs'
import completions from '../fixtures/openai-codex/usage-completions'
import { walkAll } from '../support/gateway'
import { evaluatorOf, mapUsage } from './support/usage-mapping'
import { describeDocExamples } from './support/wire-examples'
import { routeVendor, simulatedAccount, useGateway, useReplayAccount, type VendorAccount } from './support/vendor-accounts'

const USAGE = '/unified/usage-metering/usage'
const END_OF_PAGES = { object: 'page', data: [], has_more: false, next_page: null }
const NOV_1 = 1730419200
const NOV_2 = 1730505600

describe('openai-codex usage: the documented examples → unified usage', () => {
  const vendor = useReplayAccount(
    'openai-codex',
    '/v1',
    {
      'GET /organization/usage/completions': completions,
      [`GET /organization/usage/completions?page=${completions.next_page}`]: END_OF_PAGES,
      'GET /organization/costs': costs,
      // The credential check at account creation.
      'GET /organization/users': { object: 'list', data: [], first_id: null, last_id: null, has_more: false },
    },
    { api_key: 'sk-admin-recorded' },
  )

  it('the wire schemas take the newer costs fields and catch a renamed one', () => {
    // The newer reference's costs example: api_key_id and quantity too.
    const newer = structuredClone(costs)
    Object.assign(newer.data[0].results[0], { api_key_id: null, quantity: null })
    expect(openaiCostsPage.safeParse(newer).success).toBe(true)
    // The wire schemas are strict: a renamed field is caught.
    const renamed = structuredClone(completions)
    Object.assign(renamed.data[0].results[0], { cached_tokens: 1 })
    expect(openaiCompletionsUsagePage.safeParse(renamed).success).toBe(false)
  })

  it('start_date alone is its day, as date is (Truto treats it as date)', async () => {
    const before = vendor.replay.requests.length
    const { status } = await vendor.g.json(`${USAGE}?${vendor.q}&start_date=2024-11-01T09:30:00Z&report_type=cost`)
    expect(status).toBe(200)
    const sent = vendor.replay.requests.slice(before).filter((r) => r.path === '/v1/organization/costs')
    expect(
      sent.map((r) => new URLSearchParams(r.query)).map((q) => [q.get('start_time'), q.get('end_time'), q.getAll('group_by[]')]),
    ).toEqual([[String(NOV_1), String(NOV_2), ['project_id', 'line_item']]])
  })

  it('without a period: yesterday (UTC), as Truto documents for OpenAI Codex', async () => {
    const yesterday = () => String(Math.floor(Date.now() / 86_400_000) * 86_400 - 86_400)
    const [before, count] = [yesterday(), vendor.replay.requests.length]
    const { status } = await vendor.g.json(`${USAGE}?${vendor.q}&report_type=cost`)
    expect(status).toBe(200)
    const [sent] = vendor.replay.requests.slice(count).map((r) => new URLSearchParams(r.query))
    // Read around the request, so a run across midnight still knows which day was meant.
    expect([before, yesterday()]).toContain(sent.get('start_time'))
    expect(Number(sent.get('end_time')) - Number(sent.get('start_time'))).toBe(86_400)
  })

  it('costs grouped by workspace ask for projects alone', async () => {
    const before = vendor.replay.requests.length
    const { status } = await vendor.g.json(`${USAGE}?${vendor.q}&date=2024-11-01&report_type=cost&group_by[]=workspace`)
    expect(status).toBe(200)
    const sent = vendor.replay.requests.slice(before).filter((r) => r.path === '/v1/organization/costs')
    expect(sent.map((r) => new URLSearchParams(r.query).getAll('group_by[]'))).toEqual([['project_id']])
  })

  it('maps the completions bucket exactly: uncached input, cache reads, requests; the bucket as the period', async () => {
    const { status, body } = await vendor.g.json(`${USAGE}?${vendor.q}&date=2024-11-01`)
    expect(status).toBe(200)
    expect(body.next_cursor).toBeNull()
    expect(body.result).toHaveLength(1)
    const [row] = body.result
    expect(row.id).toMatch(/^openai_usage_[0-9a-f]{16}$/)
    expect(row).toEqual({
      id: row.id,
      product: { id: 'openai_api', name: 'OpenAI API' },
      metric_name: 'completions_tokens',
      resources: null,
      organization: null,
      // Not grouped by user or model in the example: neither is known.
      user: null,
      model: null,
      surface: 'api',
      charges: null,
      usage: {
        quantity: null,
        unit: null,
        tokens: { input: 1000 - 800, output: 500, cache_read: 800, cache_creation: null },
        requests: {
          total: 5,
          chat: null,
          agent: null,
          composer: null,
          cmdk: null,
          tab_shown: null,
          tab_accepted: null,
          api_key: null,
          included: null,
          usage_based: null,
          bugbot: null,
        },
        sessions: null,
        code: null,
        activity: null,
      },
      start_date: '2024-11-01T00:00:00.000Z',
      end_date: '2024-11-02T00:00:00.000Z',
      created_at: null,
      updated_at: null,
      remote_data: completions.data[0].results[0],
    })
    // The day as start/end seconds, daily buckets per user and model, both pages.
    const sent = vendor.replay.requests
      .filter((r) => r.path === '/v1/organization/usage/completions')
      .map((r) => new URLSearchParams(r.query))
    expect(sent.map((q) => [q.get('start_time'), q.get('end_time'), q.get('bucket_width'), q.getAll('group_by[]'), q.get('page')])).toEqual(
      [
        [String(NOV_1), String(NOV_2), '1d', ['user_id', 'model'], null],
        [String(NOV_1), String(NOV_2), '1d', ['user_id', 'model'], completions.next_page],
      ],
    )
  })

  it('maps the costs bucket exactly: $0.06 is 6 cents in USD', async () => {
    const { status, body } = await vendor.g.json(`${USAGE}?${vendor.q}&report_type=cost&date=2024-11-01`)
    expect(status).toBe(200)
    const [row] = body.result
    expect(row.id).toMatch(/^openai_cost_[0-9a-f]{16}$/)
    expect(row).toEqual({
      id: row.id,
      product: { id: 'openai_api', name: 'OpenAI API' },
      metric_name: 'cost',
      resources: null,
      organization: null,
      user: null,
      model: null,
      surface: 'api',
      charges: [{ amount: 6, currency: 'USD', type: 'total' }],
      usage: null,
      start_date: '2024-11-01T00:00:00.000Z',
      end_date: '2024-11-02T00:00:00.000Z',
      created_at: null,
      updated_at: null,
      remote_data: costs.data[0].results[0],
    })
  })
})

describeDocExamples('openai-codex usage', [
  ['usage-completions', openaiCompletionsUsagePage, completions],
  ['costs', openaiCostsPage, costs],
])

describe('openai-codex cost amounts', () => {
  it('both mappings run compiled', async () => {
    expect(await evaluatorOf('openai-codex/completions.jsonata')).toBe('closures')
    expect(await evaluatorOf('openai-codex/costs.jsonata')).toBe('closures')
  })

  it.each([
    [{ value: 0.07, currency: 'usd' }, [{ amount: 7, currency: 'USD', type: 'total' }]],
    [{ value: '0.07', currency: 'usd' }, [{ amount: 7, currency: 'USD', type: 'total' }]],
    [{ value: '0.123456', currency: 'usd' }, [{ amount: 12.3456, currency: 'USD', type: 'total' }]],
    [{ value: 1234.5, currency: 'eur' }, [{ amount: 123450, currency: 'EUR', type: 'total' }]],
    [{ value: '-1.5', currency: 'usd' }, [{ amount: -150, currency: 'USD', type: 'total' }]],
    [{ value: '250', currency: 'jpy' }, [{ amount: 250, currency: 'JPY', type: 'total' }]],
    // No currency, no charge: never a guess.
    [{ value: 12.5 }, undefined],
    [undefined, undefined],
  ])('amount %j → charges %j, in minor units without float drift', async (amount, charges) => {
    const page = structuredClone(costs)
    const result: Record<string, unknown> = page.data[0].results[0]
    if (amount === undefined) delete result.amount
    else result.amount = amount
    const [row] = (await mapUsage('openai-codex/costs.jsonata', page)) as Array<Record<string, unknown>>
    expect(row.charges).toEqual(charges)
  })
})

describe('openai-codex simulator: the current bucket is restated', () => {
  const world = new OpenAIWorld({ seed: 11, users: 30, domain: 'example.com', fields: 'mixed' })
  const DAY = 86_400
  const today = Date.UTC(2026, 9, 5) / 1000
  /** Yesterday and today in daily buckets per user, read at `now`. */
  const read = (now: number) =>
    completionsUsagePage(world, new URLSearchParams(`start_time=${today - DAY}&end_time=${today + DAY}&group_by[]=user_id`), now).data
  const requests = (bucket: { results: Array<{ num_model_requests: number }> }) =>
    bucket.results.reduce((n, r) => n + r.num_model_requests, 0)

  it('today’s bucket grows between reads while yesterday’s stays as it was', () => {
    const [morning, evening, tomorrow] = [today + 6 * 3600, today + 20 * 3600, today + DAY + USAGE_LAG_S].map(read)
    expect(evening[0]).toEqual(morning[0])
    expect(tomorrow[0]).toEqual(morning[0])
    expect(requests(morning[1])).toBeGreaterThan(0)
    expect(requests(evening[1])).toBeGreaterThan(requests(morning[1]))
    expect(requests(tomorrow[1])).toBeGreaterThan(requests(evening[1]))
    // Use younger than the lag is not reported yet: the bucket is empty right after midnight.
    expect(read(today + USAGE_LAG_S - 1)[1].results).toEqual([])
  })

  it('grouped or not, per day, hour or minute, a day holds the same totals', () => {
    const now = today + 2 * DAY
    const total = (width: string, limit: number, group: string) =>
      completionsUsagePage(
        world,
        new URLSearchParams(`start_time=${today}&end_time=${today + DAY}&bucket_width=${width}&limit=${limit}${group}`),
        now,
      )
        .data.flatMap((b) => b.results)
        .reduce((n, r) => n + r.output_tokens, 0)
    const daily = total('1d', 1, '')
    expect(daily).toBeGreaterThan(0)
    expect(total('1h', 24, '&group_by[]=model')).toBe(daily)
    expect(total('1m', 1440, '&group_by[]=user_id&group_by[]=project_id')).toBe(daily)
  })
})

describe('openai-codex usage against the simulator', () => {
  const holder = useGateway()
  let account: VendorAccount
  let q = ''
  beforeAll(async () => {
    account = await simulatedAccount(holder.g, 'openai-codex', { users: 8, seed: 11 })
    q = `integrated_account_id=${encodeURIComponent(account.accountId)}`
  })
  afterAll(async () => {
    await account?.sim.close()
  })

  const START = Date.UTC(2026, 9, 1) / 1000
  const DAYS = 40
  const PERIOD = 'start_date=2026-10-01&end_date=2026-11-10'

  /** The vendor's own results over the period, read with its largest pages. */
  const vendorRows = async (path: string, extra: string) => {
    const rows: unknown[] = []
    let page: string | null = null
    do {
      const url: string = `${account.sim.baseUrl}${path}?start_time=${START}&end_time=${START + DAYS * 86_400}&limit=31&${extra}${page ? `&page=${page}` : ''}`
      const res: Response = await fetch(url, { headers: { authorization: `Bearer ${account.sim.credentials.api_key}` } })
      const body = (await res.json()) as { data: Array<{ results: unknown[] }>; has_more: boolean; next_page: string | null }
      rows.push(...body.data.flatMap((b: { results: unknown[] }) => b.results))
      page = body.has_more ? body.next_page : null
    } while (page)
    return rows
  }

  it.each([5, 31, 1000])('walks 40 days (two windows, bucket pages inside) as one next_cursor walk at limit=%i', async (limit) => {
    const expected = await vendorRows('/organization/usage/completions', 'group_by[]=user_id&group_by[]=model')
    expect(
      openaiCompletionsUsagePage.safeParse({
        object: 'page',
        data: [{ object: 'bucket', start_time: 0, end_time: 1, results: expected }],
        has_more: false,
        next_page: null,
      }).success,
    ).toBe(true)
    expect(expected.length).toBeGreaterThan(limit === 1000 ? 0 : limit)
    const { records, pages } = await walkAll(holder.g, `${USAGE}?${q}&${PERIOD}&limit=${limit}`)
    expect(records.map((r) => r.remote_data)).toEqual(expected)
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length)
    expect(records[0].start_date).toBe('2026-10-01T00:00:00.000Z')
    expect(records.at(-1).end_date).toBe('2026-11-10T00:00:00.000Z')
    if (limit < expected.length) expect(pages).toBeGreaterThan(1)
    // Two windows: 31 days, then 9.
    const starts = new Set(
      account.sim.requests
        .filter((r) => r.path === '/v1/organization/usage/completions')
        .map((r) => new URLSearchParams(r.query).get('end_time')),
    )
    expect(starts).toContain(String(START + 31 * 86_400))
  })

  it('usage rows name the simulator’s members and models; user and model filters go to the vendor', async () => {
    const users = await walkAll(holder.g, `/unified/usage-metering/users?${q}&limit=1000`)
    const members = new Map(users.records.map((u) => [u.id, u]))
    const { records } = await walkAll(holder.g, `${USAGE}?${q}&date=2026-10-05&limit=1000`)
    expect(records.length).toBeGreaterThan(0)
    expect(records.every((r) => r.model.provider === 'openai')).toBe(true)
    // The same people as the users list: its ids, emails and names.
    expect(records.map((r) => r.user)).toEqual(
      records.map((r) => ({ id: r.user.id, email: members.get(r.user.id)?.emails[0].email, name: members.get(r.user.id)?.name })),
    )
    expect(records.every((r) => typeof r.user.email === 'string' && r.user.email.endsWith('@example.com'))).toBe(true)
    const one = records[0]
    const filtered = await walkAll(holder.g, `${USAGE}?${q}&date=2026-10-05&user_ids[]=${one.user.id}&model_ids[]=${one.model.id}`)
    expect(filtered.records.map((r) => r.id)).toEqual([one.id])
    const hourly = await walkAll(holder.g, `${USAGE}?${q}&date=2026-10-05&bucket_width=hour&group_by[]=user&limit=1000`)
    const tokens = (rs: Array<{ usage: { tokens: { output: number } } }>) => rs.reduce((n, r) => n + r.usage.tokens.output, 0)
    expect(tokens(hourly.records)).toBe(tokens(records))
    expect(hourly.records.every((r) => r.model === null)).toBe(true)
  })

  it('costs walk the same period as the vendor gives them, in cents', async () => {
    const expected = await vendorRows('/organization/costs', 'group_by[]=project_id&group_by[]=line_item')
    const { records } = await walkAll(holder.g, `${USAGE}?${q}&${PERIOD}&report_type=cost&limit=50`)
    expect(records.map((r) => r.remote_data)).toEqual(expected)
    expect(records.every((r) => r.charges[0].currency === 'USD' && r.resources[0].workspace.id)).toBe(true)
  })

  it('a cost amount sent as a number and as a string gives the same cents', async () => {
    const period = `start_date=2026-10-01&end_date=2026-10-04&report_type=cost&limit=1000`
    const str = await walkAll(holder.g, `${USAGE}?${q}&${period}`)
    // The gateway routes one simulator per connector: the number variant takes over, then hands back.
    const asNumber = await simulatedAccount(holder.g, 'openai-codex', { users: 8, seed: 11, variant: { costValue: 'number' } })
    try {
      const num = await walkAll(holder.g, `${USAGE}?integrated_account_id=${encodeURIComponent(asNumber.accountId)}&${period}`)
      expect(str.records.length).toBeGreaterThan(0)
      expect(typeof str.records[0].remote_data.amount.value).toBe('string')
      expect(typeof num.records[0].remote_data.amount.value).toBe('number')
      expect(num.records.map((r) => r.charges)).toEqual(str.records.map((r) => r.charges))
      // Exact: "0.123456" dollars is 12.3456 cents, no float drift.
      const first = str.records[0]
      expect(first.charges[0].amount).toBe(Number(first.remote_data.amount.value.replace('.', '').replace(/^0+(?=\d)/, '')) / 1e4)
    } finally {
      await asNumber.sim.close()
      routeVendor(holder.g, 'openai-codex', account.sim.baseUrl)
    }
  })

  it.each([
    ['report_type=summary', 'OpenAI Codex has no report_type "summary" here; it supports: usage, cost, activity'],
    ['group_by[]=surface', 'group_by'],
    ['report_type=cost&bucket_width=hour', 'bucket_width'],
    ['report_type=cost&user_ids[]=user-x', 'user_ids'],
    ['report_type=activity&user_ids[]=user-x', "OpenAI Codex's report_type=activity does not support user_ids"],
    ['report_type=activity&bucket_width=hour', "OpenAI Codex's report_type=activity does not support bucket_width=hour"],
    // The Codex Analytics API looks back at most 90 days: a longer period is refused here.
    ['report_type=activity&start_date=2026-01-01&end_date=2026-05-01', '90'],
    ['date=2026-10-03&start_date=2026-10-01', 'Give either date or start_date/end_date, not both'],
    ['start_date=2026-10-05&end_date=2026-10-01', 'end_date must be after start_date'],
  ])('%s → 400 saying what OpenAI Codex supports, before any vendor call', async (params, message) => {
    const before = account.sim.requests.length
    const res = await holder.g.json(`${USAGE}?${q}&${params}`)
    expect(res.status).toBe(400)
    expect(res.body.message).toContain(message)
    expect(account.sim.requests.length).toBe(before)
  })

  it('the simulator answers bad parameters with OpenAI’s error', async () => {
    const get = async (query: string) => {
      const res = await fetch(`${account.sim.baseUrl}/organization/usage/completions?${query}`, {
        headers: { authorization: `Bearer ${account.sim.credentials.api_key}` },
      })
      return { status: res.status, body: await res.json() }
    }
    const tooMany = await get(`start_time=${START}&bucket_width=1d&limit=32`)
    expect(tooMany.status).toBe(400)
    expect(tooMany.body.error).toMatchObject({ type: 'invalid_request_error', param: 'limit' })
    expect((await get('bucket_width=1d')).body.error.param).toBe('start_time')
    expect((await get(`start_time=${START}&bucket_width=1w`)).body.error.param).toBe('bucket_width')
    expect((await get(`start_time=${START}&group_by[]=line_item`)).body.error.param).toBe('group_by')
    expect((await get(`start_time=${START}&page=nope`)).body.error.param).toBe('page')
    expect((await get(`start_time=${START}&bucket_width=1m&limit=1440`)).status).toBe(200)
  })
})
