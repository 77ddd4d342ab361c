/**
 * Limitr Cloud simulator (`api.limitr.dev`, reference §6.3): the ticket endpoint, the WebSocket
 * that serves customer records, and a customers snapshot over HTTP.
 *
 * Limitr has no REST list of customers. `GET /snapshots/customers.json` stands for "a URL the
 * account points at" holding what the SDK's `customers()` returns (a map keyed by customer id),
 * and needs no auth, like a presigned object URL.
 *
 * Variants (options.variant):
 * - `token`: the account token to accept (default `test_sandbox_unimeter`; `lmlive_…` works too).
 * - `snapshot`: 'map' (default, `{ "<id>": {…} }`) or 'array' (`[{…}]`); the SDK loads either.
 * - `framing`: customer reply framing on the socket, 'record' (default) or 'envelope' (see socket.ts).
 */
import { base58Noise, startSimServer, type SimRequest, type SimResponse, type StartSimulator } from '../../../src/sandbox/simulator-kit'
import { LimitrAccount } from './data'
import { attachCloudSocket, parseFraming } from './socket'
import { TicketBook } from './tickets'

export { CURRENCY_CREDITS, LimitrAccount, type LimitrCustomer } from './data'

export const DEFAULT_TOKEN = 'test_sandbox_unimeter'
const DEFAULT_CUSTOMERS = 25
/** Customers are held in memory (the snapshot is one document anyway), so the count is bounded. */
const MAX_CUSTOMERS = 100_000
export const SNAPSHOT_PATH = '/snapshots/customers.json'

function parseSnapshot(value: string | undefined): 'map' | 'array' {
  if (value === undefined || value === 'map') return 'map'
  if (value === 'array') return 'array'
  throw new Error(`limitr simulator: unknown snapshot variant '${value}' (expected 'map' or 'array')`)
}

function ticketHandler(token: string, tickets: TicketBook) {
  return (req: SimRequest): SimResponse => {
    const body = req.body as { token?: unknown } | null
    if (!body || typeof body !== 'object' || typeof body.token !== 'string') {
      return { status: 400, body: { error: 'invalid request' } }
    }
    if (body.token !== token) return { status: 401, body: { error: 'invalid token' } }
    return { status: 200, body: { ticket: tickets.issue() } }
  }
}

export const startSimulator: StartSimulator = async (options = {}) => {
  const variant = options.variant ?? {}
  const seed = options.seed ?? 42
  const count = options.users ?? DEFAULT_CUSTOMERS
  if (!Number.isInteger(count) || count < 0 || count > MAX_CUSTOMERS) {
    throw new Error(`limitr simulator: users must be an integer in [0, ${MAX_CUSTOMERS}], got ${count}`)
  }
  const token = variant.token ?? DEFAULT_TOKEN
  const snapshotShape = parseSnapshot(variant.snapshot)
  const framing = parseFraming(variant.framing)
  const account = new LimitrAccount(seed, count)
  const tickets = new TicketBook()
  const snapshot = snapshotShape === 'map' ? account.snapshotMap() : account.customers

  const sim = await startSimServer({
    routes: [
      { method: 'POST', pattern: '/wss/ticket', handler: ticketHandler(token, tickets) },
      { method: 'GET', pattern: SNAPSHOT_PATH, handler: () => ({ status: 200, body: snapshot }) },
    ],
    // Limitr's HTTP errors are `{"error": "<lower-case message>"}`; it documents no Retry-After.
    vendor: { errorBody: (_status, message) => ({ error: message.toLowerCase() }), defaultRetryAfter: null },
    host: options.host,
    port: options.port,
    seed,
  })
  const socket = attachCloudSocket({ sim, account, tickets, framing, policyId: `pol_${base58Noise(seed, 0x901, 12)}` })

  return {
    ...sim,
    baseUrl: sim.origin,
    credentials: { token },
    context: {
      ws_url: `${sim.origin.replace(/^http/, 'ws')}/wss`,
      snapshot_url: `${sim.origin}${SNAPSHOT_PATH}`,
    },
    close: async () => {
      socket.close()
      tickets.clear()
      await sim.close()
    },
  }
}
