/**
 * Date windows and report choice in the list engine, against a small vendor on loopback that
 * refuses any request spanning more than its limit: a period is cut into windows the vendor
 * accepts, each window is paged with the list's own pagination, the position (as a cursor would
 * carry it) walks across windows, and every record arrives once, in order, at any limit.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadSettings } from '../../src/config/settings'
import type { ConnectorDefinition, DateWindowSpec, ListMethodSpec } from '../../src/engine/connector-types'
import { nextWindow, periodOf, windowOf, windowParams } from '../../src/engine/date-windows'
import { createUndiciTransport } from '../../src/engine/http/undici-transport'
import { fetchGatewayPage, firstPosition, type ListWalk } from '../../src/engine/list-engine'
import { MappingEngine } from '../../src/engine/mapping/mapping-engine'
import { mappingSourceFromRecord } from '../../src/engine/mapping/mapping-source'
import type { PagePosition } from '../../src/engine/position-codec'
import type { VendorSession } from '../../src/engine/vendor-session'
import { ApiError } from '../../src/lib/http-errors'
import { createLogger } from '../../src/lib/logger'
import { Redactor } from '../../src/lib/redactor'

const DAY = 86_400_000
const NOW = Date.parse('2026-12-07T05:00:00Z')
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)

function refusal(fn: () => unknown): ApiError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError)
    return err as ApiError
  }
  throw new Error('expected a 400')
}

describe('periods and windows', () => {
  const daily: DateWindowSpec = { align: 'day', maxSpan: 7, defaultRange: { startDaysAgo: 3, endDaysAgo: 2 }, maxRangeDays: 90 }

  it('reads the period from start_date/end_date, date, or the default, widened to whole units', () => {
    expect(periodOf(daily, { start_date: '2026-11-01', end_date: '2026-11-04' }, NOW, 'V')).toEqual({
      at: '2026-11-01T00:00:00.000Z',
      until: '2026-11-04T00:00:00.000Z',
    })
    expect(periodOf(daily, { start_date: '2026-11-01T10:00:00Z', end_date: '2026-11-03T00:00:01Z' }, NOW, 'V')).toEqual({
      at: '2026-11-01T00:00:00.000Z',
      until: '2026-11-04T00:00:00.000Z',
    })
    expect(periodOf(daily, { date: '2026-11-20' }, NOW, 'V')).toEqual({ at: '2026-11-20T00:00:00.000Z', until: '2026-11-21T00:00:00.000Z' })
    // No period: three days ago, as the spec says.
    expect(periodOf(daily, {}, NOW, 'V')).toEqual({ at: '2026-12-04T00:00:00.000Z', until: '2026-12-05T00:00:00.000Z' })
    // Only a start: up to now (today's bucket included); only an end: the default length before it.
    expect(periodOf(daily, { start_date: '2026-12-01' }, NOW, 'V').until).toBe('2026-12-08T00:00:00.000Z')
    // Unless a start alone is read as its day (Truto's OpenAI Codex); with an end it stays a range.
    const startIsDay: DateWindowSpec = { ...daily, startAloneIsDay: true }
    expect(periodOf(startIsDay, { start_date: '2026-12-01T15:00:00Z' }, NOW, 'V')).toEqual({
      at: '2026-12-01T00:00:00.000Z',
      until: '2026-12-02T00:00:00.000Z',
    })
    expect(periodOf(startIsDay, { start_date: '2026-11-01', end_date: '2026-11-04' }, NOW, 'V').until).toBe('2026-11-04T00:00:00.000Z')
    expect(periodOf(daily, { end_date: '2026-12-01' }, NOW, 'V')).toEqual({
      at: '2026-11-30T00:00:00.000Z',
      until: '2026-12-01T00:00:00.000Z',
    })
    const hourly: DateWindowSpec = { ...daily, align: 'hour' }
    expect(periodOf(hourly, { start_date: '2026-11-01T10:30:00Z', end_date: '2026-11-01T12:10:00Z' }, NOW, 'V')).toEqual({
      at: '2026-11-01T10:00:00.000Z',
      until: '2026-11-01T13:00:00.000Z',
    })
  })

  it('refuses periods the vendor cannot answer, saying why', () => {
    expect(refusal(() => periodOf(daily, { date: '2026-11-01', start_date: '2026-11-01' }, NOW, 'V')).message).toMatch(
      /either date or start_date/,
    )
    expect(refusal(() => periodOf(daily, { start_date: '2026-11-05', end_date: '2026-11-05' }, NOW, 'V')).message).toMatch(
      /after start_date/,
    )
    expect(refusal(() => periodOf(daily, { start_date: '2026-01-01', end_date: '2026-06-01' }, NOW, 'V')).message).toBe(
      'V serves at most 90 days per list; narrow start_date/end_date',
    )
    expect(refusal(() => periodOf(daily, { start_date: 'yesterday' }, NOW, 'V')).status).toBe(400)
  })

  it('cuts a period into windows of at most maxSpan units, the last one short', () => {
    let pos = periodOf(daily, { start_date: '2026-11-01', end_date: '2026-11-17' }, NOW, 'V') as ReturnType<typeof nextWindow>
    const windows = []
    while (pos) {
      windows.push(windowOf(daily, pos))
      pos = nextWindow(daily, pos)
    }
    expect(windows.map((w) => `${day(Date.parse(w.start))}..${day(Date.parse(w.end))}`)).toEqual([
      '2026-11-01..2026-11-08',
      '2026-11-08..2026-11-15',
      '2026-11-15..2026-11-17',
    ])
  })

  it('writes a window in every format, exclusive or inclusive, in the query or the body', () => {
    const w = { start: '2026-11-01T00:00:00.000Z', end: '2026-11-08T00:00:00.000Z' }
    const send = (s: DateWindowSpec['send']) => windowParams({ ...daily, send: s }, w)
    expect(send({ start: { param: 'from', format: 'date' }, end: { param: 'to', format: 'date' } }).query).toEqual({
      from: '2026-11-01',
      to: '2026-11-08',
    })
    expect(send({ start: { param: 'from', format: 'date' }, end: { param: 'to', format: 'date', inclusive: true } }).query).toEqual({
      from: '2026-11-01',
      to: '2026-11-07',
    })
    expect(send({ start: { param: 'a', format: 'date-time' }, end: { param: 'b', format: 'date-time', inclusive: true } }).query).toEqual({
      a: '2026-11-01T00:00:00Z',
      b: '2026-11-07T23:59:59Z',
    })
    expect(
      send({ start: { param: 'a', format: 'epoch-ms' }, end: { param: 'b', format: 'epoch-ms', inclusive: true }, in: 'body' }),
    ).toEqual({
      query: {},
      body: { a: Date.parse(w.start), b: Date.parse(w.end) - 1 },
    })
    expect(send({ start: { param: 'start_time', format: 'epoch-s' } }).query).toEqual({ start_time: Date.parse(w.start) / 1000 })
    expect(send(undefined)).toEqual({ query: {}, body: {} })
  })
})

/**
 * The vendor: `GET /daily?date=&after=&limit=` serves one day (a window of one day), `POST
 * /ranged` with `{from, to}` (epoch ms, inclusive end) serves at most 7 days and refuses more.
 * Day i of the year holds (i·5 mod 7) records, so some windows are empty and others need pages.
 */
const dayRecords = (date: string) => {
  const n = (Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY) * 5) % 7
  return Array.from({ length: n }, (_, i) => ({ id: `${date}#${i}`, date }))
}

let server: Server
let base = ''
const seen: string[] = []

function serve(method: string, url: URL, body: Record<string, unknown>): { status: number; json: unknown } {
  const limit = Number(url.searchParams.get('limit') ?? body.limit ?? 3)
  const after = Number(url.searchParams.get('after') ?? body.after ?? 0)
  let rows: Array<{ id: string; date: string }>
  if (method === 'GET' && url.pathname === '/daily') {
    const date = url.searchParams.get('date') ?? ''
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return { status: 400, json: { error: 'date is required' } }
    rows = dayRecords(date)
  } else if (method === 'POST' && url.pathname === '/ranged') {
    const from = Number(body.from)
    const to = Number(body.to)
    if (!(to >= from) || to - from >= 7 * DAY) return { status: 400, json: { error: 'at most 7 days per request' } }
    rows = []
    for (let t = from; t <= to; t += DAY) rows.push(...dayRecords(day(t)))
  } else return { status: 404, json: { error: 'no such endpoint' } }
  const page = rows.slice(after, after + limit)
  return { status: 200, json: { data: page, next: after + limit < rows.length ? after + limit : null } }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = ''
    req.on('data', (c) => (text += c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x')
      seen.push(`${req.method} ${url.pathname}${url.search} ${text}`)
      const out = serve(req.method ?? 'GET', url, text ? JSON.parse(text) : {})
      res.writeHead(out.status, { 'content-type': 'application/json' }).end(JSON.stringify(out.json))
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await transport.close()
  await new Promise((r) => server.close(r))
})

const transport = createUndiciTransport()
const mappings = new MappingEngine(
  mappingSourceFromRecord({
    'test/usage/windowed/records.jsonata': '($w := window.start; response.data.{ "id": id, "date": date, "window": $w })',
    'test/usage/windowed/query.jsonata': '{ "echo_window_end": window.end }',
  }),
)

const daily: ListMethodSpec = {
  request: { method: 'GET', path: '/daily' },
  mappings: { response: 'records.jsonata', query: 'query.jsonata' },
  pagination: { type: 'cursor', cursorParam: 'after', nextCursorPath: 'next', limitParam: 'limit' },
  recordsPath: 'data',
  pageSize: { default: 3, max: 3 },
  windows: {
    align: 'day',
    maxSpan: 1,
    defaultRange: { startDaysAgo: 3, endDaysAgo: 2 },
    send: { start: { param: 'date', format: 'date' } },
  },
  supports: { user_ids: true, bucket_width: ['day'] },
}

const ranged: Omit<ListMethodSpec, 'reports'> = {
  request: { method: 'POST', path: '/ranged' },
  mappings: { response: 'records.jsonata' },
  pagination: { type: 'cursor', cursorParam: 'after', nextCursorPath: 'next', limitParam: 'limit', in: 'body' },
  recordsPath: 'data',
  pageSize: { default: 3, max: 3 },
  windows: {
    align: 'day',
    maxSpan: 7,
    maxRangeDays: 120,
    defaultRange: { startDaysAgo: 7, endDaysAgo: 0 },
    send: { start: { param: 'from', format: 'epoch-ms' }, end: { param: 'to', format: 'epoch-ms', inclusive: true }, in: 'body' },
  },
}

const withReports: ListMethodSpec = {
  ...daily,
  reports: { param: 'report_type', name: 'daily', defaultWhenGiven: { params: ['start_date'], report: 'ranged' }, others: { ranged } },
}

const connector = (): ConnectorDefinition => ({
  id: 'windowed',
  label: 'Windowed',
  baseUrl: base,
  credentials: [],
  auth: { type: 'none' },
  errors: { messagePaths: ['error'] },
  resources: {},
})

function runOf(spec: ListMethodSpec, query: Record<string, unknown>): ListWalk {
  const session: VendorSession = {
    deps: { settings: loadSettings({}), transport, mappings, logger: createLogger('silent'), redactor: new Redactor() },
    connector: connector(),
    baseUrl: base,
    credentials: {},
    context: {},
    secrets: [],
    deadline: Date.now() + 60_000,
    trustedOrigins: [base],
  }
  return {
    session,
    spec,
    inputs: { mappingDir: 'test/usage/windowed', unifiedQuery: query, rawQuery: query, remoteQuery: {} },
    accountId: 'acct',
    now: () => NOW,
  }
}

/** Every page at `limit`, each resumed from a fresh run (as a cursor would be), the position through JSON. */
async function walkAll(spec: ListMethodSpec, query: Record<string, unknown>, limit: number) {
  const ids: string[] = []
  const positions: PagePosition[] = []
  let pos: PagePosition | null = firstPosition(spec, limit)
  for (let n = 0; pos && n < 500; n++) {
    const page = await fetchGatewayPage(runOf(spec, query), pos, { limit }, 5)
    expect(page.records.length).toBeLessThanOrEqual(limit)
    ids.push(...page.records.map((r) => String(r.id)))
    pos = page.next ? (JSON.parse(JSON.stringify(page.next)) as PagePosition) : null
    if (pos) positions.push(pos)
  }
  return { ids, positions }
}

const expected = (from: string, days: number) =>
  Array.from({ length: days }, (_, i) => dayRecords(day(Date.parse(`${from}T00:00:00Z`) + i * DAY)).map((r) => r.id)).flat()

describe('a walk across windows', () => {
  it.each([1, 2, 4, 7, 100])('a 1-day-per-request vendor over 20 days at limit=%i: every record once, in order', async (limit) => {
    const { ids, positions } = await walkAll(daily, { start_date: '2026-11-01', end_date: '2026-11-21' }, limit)
    expect(ids).toEqual(expected('2026-11-01', 20))
    expect(positions.every((p) => p.window && p.window.until === '2026-11-21T00:00:00.000Z')).toBe(true)
  })

  it('asks the vendor for each day once per page, with the window in the mapping bindings', async () => {
    seen.length = 0
    const page = await fetchGatewayPage(runOf(daily, { date: '2026-11-04' }), firstPosition(daily, 100), { limit: 100 }, 5)
    expect(page.next).toBeNull()
    expect(page.records).toEqual(dayRecords('2026-11-04').map((r) => ({ ...r, window: '2026-11-04T00:00:00.000Z' })))
    expect(seen.every((s) => s.includes('date=2026-11-04') && s.includes('echo_window_end=2026-11-05T00%3A00%3A00.000Z'))).toBe(true)
  })

  it('without a period walks the default one (three days ago)', async () => {
    const { ids } = await walkAll(daily, {}, 100)
    expect(ids).toEqual(expected('2026-12-04', 1))
  })

  it.each([1, 3, 5, 100])('a 7-day-per-request vendor over an odd 45 days at limit=%i, window in the body', async (limit) => {
    seen.length = 0
    const { ids } = await walkAll(withReports, { report_type: 'ranged', start_date: '2026-10-03', end_date: '2026-11-17' }, limit)
    expect(ids).toEqual(expected('2026-10-03', 45))
    // The vendor refuses more than 7 days: no request was refused, and windows were 7 days or the short remainder.
    expect(seen.filter((s) => s.startsWith('POST')).length).toBeGreaterThanOrEqual(7)
  })

  it('bounded work per request: a walk stops after its vendor pages with a position to resume from', async () => {
    const run = runOf(daily, { start_date: '2026-11-01', end_date: '2026-12-01' })
    const page = await fetchGatewayPage(run, firstPosition(daily, 100), { limit: 100 }, 2)
    expect(page.exchanges).toHaveLength(2)
    expect(page.next?.window?.until).toBe('2026-12-01T00:00:00.000Z')
    const rest = await fetchGatewayPage(run, page.next!, { limit: 1000 }, 500)
    expect([...page.records, ...rest.records].map((r) => r.id)).toEqual(expected('2026-11-01', 30))
  })
})

describe('report choice and supported parameters', () => {
  /** The first vendor request a walk of `query` makes. */
  const firstRequest = async (query: Record<string, unknown>) => {
    seen.length = 0
    await fetchGatewayPage(runOf(withReports, query), firstPosition(withReports, 10), { limit: 10 }, 1)
    return seen[0]
  }

  it('the default report, another by name, and another when a period is given', async () => {
    expect(await firstRequest({ date: '2026-11-04' })).toMatch(/^GET \/daily/)
    expect(await firstRequest({ start_date: '2026-11-04', end_date: '2026-11-05' })).toMatch(/^POST \/ranged/)
    expect(await firstRequest({ report_type: 'daily', start_date: '2026-11-04' })).toMatch(/^GET \/daily/)
  })

  it('a position keeps its report: the walk cannot switch midway', async () => {
    const page = await fetchGatewayPage(
      runOf(withReports, { report_type: 'ranged', start_date: '2026-11-01', end_date: '2026-11-21' }),
      firstPosition(withReports, 2),
      { limit: 2 },
      5,
    )
    expect(page.next?.report).toBe('ranged')
    const err = await fetchGatewayPage(runOf(withReports, { report_type: 'daily' }), page.next!, { limit: 2 }, 5).catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err.code).toBe('invalid_cursor')
  })

  it('refuses an unknown report, an unsupported parameter and an unsupported value, naming what is supported, before any call', async () => {
    seen.length = 0
    const fail = (spec: ListMethodSpec, query: Record<string, unknown>) =>
      fetchGatewayPage(runOf(spec, query), firstPosition(spec, 10), { limit: 10 }, 1).then(
        () => {
          throw new Error('expected a 400')
        },
        (e: ApiError) => e,
      )
    const unknown = await fail(withReports, { report_type: 'cost' })
    expect([unknown.status, unknown.message]).toEqual([400, 'Windowed has no report_type "cost" here; it supports: daily, ranged'])
    const param = await fail(withReports, { report_type: 'daily', group_by: ['model'] })
    expect(param.message).toBe(
      "Windowed's report_type=daily does not support group_by; it supports: bucket_width, date, end_date, report_type, start_date, user_ids",
    )
    const value = await fail(daily, { bucket_width: 'hour' })
    expect(value.message).toBe('Windowed does not support bucket_width=hour; it supports: day')
    expect(seen).toEqual([])
  })
})
