/**
 * A window-mode resource for the sync's generic window tests, before any vendor serves one: a
 * daily per-user token meter (`test-metering/buckets`, keyed by day and user), its connector,
 * its mappings, and a real loopback vendor that serves buckets for a date range, page by page,
 * restates a bucket when told, and can stall one request (for the kill -9 test).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { z } from 'zod'
import { ConnectorRegistry } from '../../../connectors/registry'
import { sqliteTransactionWriter } from '../../../src/db/atomic'
import type { OpenedSqlite } from '../../../src/db/open-sqlite'
import type { ConnectorModule } from '../../../src/engine/connector-types'
import { createUndiciTransport } from '../../../src/engine/http/undici-transport'
import { mappingSourceFromRecord } from '../../../src/engine/mapping/mapping-source'
import { ModelRegistry, type UnifiedResource } from '../../../src/models/model-registry'
import { buildServices } from '../../../src/runtime/build-services'
import { preparedRecordWrites } from '../../../src/sync/prepared-record-writes'

export const METER_KEY = 'test-metering/buckets'
export const METER_USERS = ['u1', 'u2', 'u3']
export const METER_ACCOUNT = 'meter-account'

export const meterResource: UnifiedResource = {
  model: 'test-metering',
  resource: 'buckets',
  description: 'Tokens per user per day.',
  schema: z.object({
    id: z.string(),
    user: z.object({ id: z.string() }).nullable(),
    start_date: z.string(),
    end_date: z.string(),
    tokens: z.number(),
  }),
  listParams: z.object({ start_date: z.string().optional(), end_date: z.string().optional() }),
  timestampFields: [],
  filterable: { ranges: ['start_date'] },
  methods: ['list'],
  // Composite on purpose: the day and the user identify a bucket.
  key: ['start_date', 'user.id'],
  changedAtField: null,
  sync: { mode: 'window', startField: 'start_date', endField: 'end_date', lookbackDays: 2 },
}

const meterConnector: ConnectorModule = {
  definition: {
    id: 'meter',
    label: 'Meter',
    baseUrl: 'https://meter.invalid',
    credentials: [{ name: 'api_key', label: 'API key', secret: true, required: true }],
    auth: { type: 'bearer', credential: 'api_key' },
    errors: { messagePaths: ['error'] },
    resources: {
      [METER_KEY]: {
        list: {
          request: { method: 'GET', path: '/v1/buckets' },
          mappings: { response: 'bucket.jsonata', query: 'bucket.query.jsonata' },
          pagination: { type: 'page', pageParam: 'page', limitParam: 'per_page', firstPage: 1, totalPagesPath: 'total_pages' },
          recordsPath: 'data',
          pageSize: { default: 4, max: 100 },
        },
      },
    },
  },
}

const mappings = mappingSourceFromRecord({
  [`${METER_KEY}/meter/bucket.query.jsonata`]: '{ "from": query.start_date, "to": query.end_date }',
  [`${METER_KEY}/meter/bucket.jsonata`]: `response.data.{
    "id": day & "/" & user,
    "user": { "id": user },
    "start_date": day,
    "end_date": next_day,
    "tokens": tokens,
    "remote_data": $
  }`,
})

/** Gateway services over `sqlite` with the meter resource and connector, calling `vendorUrl`. */
export async function meterServices(sqlite: OpenedSqlite, env: Record<string, string | undefined>, vendorUrl: string) {
  const services = await buildServices({
    env,
    db: sqlite.db,
    atomic: sqliteTransactionWriter(sqlite.db),
    recordWrites: preparedRecordWrites(sqlite.sqlite),
    transport: createUndiciTransport(),
    mappingSource: mappings,
    encryptionKey: env.UNIMETER_ENCRYPTION_KEY!,
    connectors: new ConnectorRegistry([meterConnector]),
    models: new ModelRegistry([meterResource]),
  })
  services.sandboxUrls.set('meter', vendorUrl)
  return services
}

export const dayAfter = (day: string, n = 1) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)
export const today = () => new Date().toISOString().slice(0, 10)

export interface MeterVendor {
  url: string
  /** Query strings of the bucket requests received, in order. */
  requests: URLSearchParams[]
  /** Overrides one bucket's tokens (a restatement). */
  restate(day: string, user: string, tokens: number): void
  /** Request number `n` (1-based) is never answered. */
  stallRequest(n: number): void
  /** Resolves once `n` bucket requests have arrived. */
  requestNumber(n: number): Promise<void>
  close(): Promise<void>
}

/** Buckets exist for every day up to today (none in the future), for each user. */
export async function startMeterVendor(): Promise<MeterVendor> {
  const requests: URLSearchParams[] = []
  const restated = new Map<string, number>()
  const waiters: Array<{ n: number; resolve: () => void }> = []
  let stall = 0
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname !== '/v1/buckets') return void res.writeHead(404).end('{"error":"not found"}')
    requests.push(url.searchParams)
    for (const w of waiters.filter((w) => requests.length >= w.n)) w.resolve()
    if (requests.length === stall) return
    const from = url.searchParams.get('from') ?? ''
    const to = url.searchParams.get('to') ?? ''
    if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to)) {
      return void res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"from and to are required days"}')
    }
    const rows = []
    for (let day = from; day < to && day <= today(); day = dayAfter(day)) {
      for (const user of METER_USERS) {
        const tokens = restated.get(`${day}/${user}`) ?? 100 + METER_USERS.indexOf(user)
        rows.push({ day, next_day: dayAfter(day), user, tokens })
      }
    }
    const perPage = Number(url.searchParams.get('per_page') ?? 10)
    const page = Number(url.searchParams.get('page') ?? 1)
    const body = { data: rows.slice((page - 1) * perPage, page * perPage), total_pages: Math.max(1, Math.ceil(rows.length / perPage)) }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
  }
  const server = createServer(handle)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    restate: (day, user, tokens) => restated.set(`${day}/${user}`, tokens),
    stallRequest: (n) => (stall = n),
    requestNumber: (n) => new Promise<void>((resolve) => (requests.length >= n ? resolve() : waiters.push({ n, resolve }))),
    close: () => {
      server.closeAllConnections()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
