/**
 * A minimal hand-written gateway for one vendor's users list, the reference figure 1 measures the
 * gateway against: node:http, a constant-time bearer check, one undici request to the vendor with
 * its auth, the hand-written mapper (bench/handwritten), side loads cached like the gateway's, a
 * signed cursor, and `JSON.stringify` of the same envelope. It serves
 * `GET /unified/usage-metering/users?integrated_account_id=…&limit=…&next_cursor=…` for its one
 * account, and answers the same `result` as the gateway (test/bench/reference-gateway.test.ts).
 */
import { timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { usageMeteringUserSchema } from '../../src/models/usage-metering/users'
import { referenceCursor, type Position } from './cursor'
import { ReferenceSideLoads } from './side-loads'
import { vendorClient } from './vendor-client'
import { referenceVendors, type ListPage, type VendorContext } from './vendors'

export interface ReferenceOptions {
  connector: string
  /** The simulator (or vendor) base URL and the credentials it accepts. */
  baseUrl: string
  credentials: Record<string, string>
  context: Record<string, string>
  /** The one account it serves, by the id the gateway gave it, so paths are the same. */
  accountId: string
  token: string
  cursorKey: Buffer
}

export interface ReferenceGateway {
  url: string
  close(): Promise<void>
}

const PATH = '/unified/usage-metering/users'
const DEFAULT_LIMIT = 100
/** Bounded work per request, as the gateway's UNIMETER_MAX_VENDOR_PAGES_PER_REQUEST. */
const MAX_VENDOR_PAGES = 10

function send(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

const error = (res: ServerResponse, status: number, message: string) => send(res, status, { error: message, status })

export async function startReferenceGateway(o: ReferenceOptions): Promise<ReferenceGateway> {
  const vendor = referenceVendors[o.connector]
  if (!vendor) throw new Error(`no reference gateway for ${o.connector}; known: ${Object.keys(referenceVendors).join(', ')}`)
  const ctx: VendorContext = {
    vendor: vendorClient(o.baseUrl, { accept: 'application/json', ...vendor.authHeaders(o.credentials) }),
    sideLoads: new ReferenceSideLoads(),
    account: { ...o.context, ...o.credentials },
  }
  const cursors = referenceCursor(o.cursorKey, o.accountId, 'usage-metering/users')
  const expectedAuth = Buffer.from(`Bearer ${o.token}`)

  async function list(req: IncomingMessage, res: ServerResponse) {
    const auth = Buffer.from(req.headers.authorization ?? '')
    if (auth.length !== expectedAuth.length || !timingSafeEqual(auth, expectedAuth)) return error(res, 401, 'unauthorized')
    const url = new URL(req.url ?? '/', 'http://reference')
    if (url.pathname !== PATH || req.method !== 'GET') return error(res, 404, 'not found')
    const q = url.searchParams
    if (q.get('integrated_account_id') !== o.accountId) return error(res, 404, 'integrated account not found')
    const limit = q.has('limit') ? Number(q.get('limit')) : DEFAULT_LIMIT
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return error(res, 400, 'limit must be a whole number from 1 to 1000')
    const token = q.get('next_cursor')
    let pos: Position | undefined = { s: null, o: 0, ps: Math.min(limit, vendor.maxPageSize) }
    if (token) pos = cursors.decode(token)
    if (!pos || pos.ps < 1 || pos.ps > vendor.maxPageSize || (pos.l ?? 0) >= vendor.lists.length) return error(res, 400, 'invalid_cursor')

    const result: Array<Record<string, unknown>> = []
    let next: Position | null = null
    for (let fetched = 0; ; fetched++) {
      if (fetched >= MAX_VENDOR_PAGES) {
        next = pos
        break
      }
      const l: number = pos.l ?? 0
      const need = limit - result.length
      const page: ListPage = await vendor.lists[l](ctx, pos.s, pos.ps, pos.o, need)
      result.push(...page.records)
      if (page.more) {
        next = { ...pos, o: pos.o + need }
        break
      }
      if (page.next !== null) pos = { s: page.next, o: 0, ps: pos.ps, ...(l ? { l } : {}) }
      else if (l + 1 < vendor.lists.length) pos = { s: null, o: 0, ps: pos.ps, l: l + 1 }
      else break
      if (result.length >= limit) {
        next = pos
        break
      }
    }
    send(res, 200, {
      result: result.map(complete),
      next_cursor: next && cursors.encode(next),
      prev_cursor: null,
      result_count: result.length,
    })
  }

  const server = createServer((req, res) => {
    list(req, res).catch((err: Error) => error(res, 502, err.message))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/**
 * The gateway's `unified` format: every schema field present, null where the mapping gave none.
 * A JSONata mapping leaves a field without a value out, so the gateway adds it at the end, after
 * the mapped ones, in schema order: the same order here, for the same bytes.
 */
function complete(r: Record<string, unknown>): Record<string, unknown> {
  if (USER_FIELDS.every((f) => r[f] !== undefined)) return r
  const out: Record<string, unknown> = {}
  for (const k in r) if (r[k] !== undefined) out[k] = r[k]
  for (const f of USER_FIELDS) if (out[f] === undefined) out[f] = null
  return out
}

/** The unified user's fields, in the schema's order (read once, at start). */
const USER_FIELDS = Object.keys(usageMeteringUserSchema.shape)
