/**
 * Limitr connector: a recorded customers snapshot (map and array forms) → exact unified users,
 * snapshot walks of odd sizes, get over the cloud's ticket + WebSocket protocol (by id, by alt id,
 * both reply framings) in every response format, ticket and error frames → contract statuses, the
 * public-https URL policy for production accounts, and bounded failures when the cloud hangs.
 */
import { unifiedUser } from '../support/unified-user'
import { createServer, type Server } from 'node:http'
import type { Socket } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { CURRENCY_CREDITS, type LimitrCustomer } from '../../connectors/limitr/simulator'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit/types'
import { walkAll } from '../support/gateway'
import { expectNormalizedUsers } from './support/conformance'
import {
  createAccount,
  routeVendor,
  startReplay,
  useGateway,
  USERS_PATH,
  withSimulatedAccount,
  type Replay,
} from './support/vendor-accounts'

const PRIVATE_OK = { UNIMETER_ALLOW_PRIVATE_URLS: 'true' }

/** A cap as in `src/spec/cap.stof` (reference §6.2), with the fields that matter here varied. */
const cap = (id: string, credit: string, value: number, observe_only = false) => ({
  id,
  credit,
  exchangeable: true,
  ignore_grants: false,
  overage_only: false,
  follow_decrements: false,
  observe_only,
  overhead_cost: false,
  value,
  scope: null,
  created_on: 1746446400000,
  meter_value: 3.5,
  started: 1748736000000,
  resets: true,
  reset_inc: null,
  reset_sch: 'monthly:1',
  last_reset: 1748736000000,
  expires_on: null,
})

/** customers() of a small account, in the Customer shape of `src/spec/customer.stof`. */
const ACME = {
  id: 'org_acme',
  plan: 'team',
  alt_ids: ['cus_ORG1'],
  refs: [],
  type: 'org',
  label: 'Acme Inc',
  meters: { seats: { credit: 'seat', value: 1 } },
  overrides: {},
  grants: {},
  caps: { budget: cap('budget', 'usd', 5000) },
  metadata: { domain: 'acme.example' },
}
const ADA = {
  id: 'user_ada',
  plan: 'pro',
  alt_ids: ['cus_123', 'key_abc'],
  refs: ['org_acme'],
  type: 'user',
  label: 'Ada Lovelace',
  meters: { ai_tokens: { credit: 'token', value: 1200 } },
  overrides: {},
  grants: { welcome: { id: 'welcome', credit: 'usd', value: 4, starting_value: 10, resets: false, expires_on: null } },
  caps: { monthly_spend: cap('monthly_spend', 'usd', 50) },
  metadata: { email: 'ada@acme.example' },
}
const BOB = {
  id: 'user_bob',
  plan: 'free',
  alt_ids: [],
  refs: [],
  type: 'user',
  label: 'Bob',
  meters: {},
  overrides: {},
  grants: {},
  caps: { daily_tokens: cap('daily_tokens', 'token', 500000) },
  metadata: null,
}
const EVE = {
  id: 'seat_eve',
  plan: 'starter',
  alt_ids: [],
  refs: ['org_gone'],
  type: 'seat',
  label: 'Eve',
  meters: {},
  overrides: {},
  grants: {},
  caps: { watch: cap('watch', 'eur', 20, true), hard: cap('hard', 'eur', 12.5) },
  metadata: { email: 'eve@example.com' },
}
const SNAPSHOT_MAP = { org_acme: ACME, user_ada: ADA, user_bob: BOB, seat_eve: EVE }

const EXPECTED = [
  unifiedUser({
    id: 'user_ada',
    name: 'Ada Lovelace',
    emails: [{ email: 'ada@acme.example', is_primary: true }],
    status: 'active',
    organization: { id: 'org_acme', name: 'Acme Inc' },
    spend_limit: { amount: 5000, currency: 'USD' },
    remote_data: ADA,
  }),
  unifiedUser({ id: 'user_bob', name: 'Bob', emails: [], status: 'active', organization: null, spend_limit: null, remote_data: BOB }),
  unifiedUser({
    id: 'seat_eve',
    name: 'Eve',
    emails: [{ email: 'eve@example.com', is_primary: true }],
    status: 'active',
    organization: null,
    spend_limit: { amount: 1250, currency: 'EUR' },
    remote_data: EVE,
  }),
]

describe('limitr: a recorded customers snapshot → unified users', () => {
  const gateway = useGateway({ sandbox: false, env: PRIVATE_OK })
  const g = () => gateway.g
  let replay: Replay

  beforeAll(async () => {
    replay = await startReplay('', {
      'POST /wss/ticket': { ticket: 'recorded-ticket' },
      'GET /exports/customers.json': SNAPSHOT_MAP,
      'GET /exports/customers-array.json': Object.values(SNAPSHOT_MAP),
    })
    routeVendor(g(), 'limitr', replay.baseUrl)
  })
  afterAll(async () => {
    await replay?.close()
  })

  it.each([
    ['map keyed by id', '/exports/customers.json'],
    ['array', '/exports/customers-array.json'],
  ])('maps the %s form exactly: orgs left out, org from refs, spend limit from the first limiting currency cap', async (_form, path) => {
    const created = await createAccount(g(), 'limitr', { token: 'test_recorded', snapshot_url: `${replay.baseUrl}${path}?sig=abc` })
    expect(created.status).toBe(201)
    expect(created.body.credential_fields.sort()).toEqual(['snapshot_url', 'token'])
    const { body } = await g().json(`${USERS_PATH}?integrated_account_id=${created.body.id}`)
    expect(body).toEqual({ result: EXPECTED, next_cursor: null, prev_cursor: null, result_count: 3 })
    // The presigned query is kept, and no credential is sent to the snapshot host.
    const fetched = replay.requests.filter((r) => r.path === path).at(-1)!
    expect(fetched.query).toBe('?sig=abc')
    // Verification traded the token for a ticket.
    expect(replay.sent.get('POST /wss/ticket')!.at(-1)).toEqual({ token: 'test_recorded' })
  })
})

/**
 * What src/spec/cap.stof says limits a customer's spend: its own caps and the shared caps of the
 * customers its refs lead to (for its type), that are not observe-only nor scoped, in runes
 * (1 rune = 1 USD) or a currency; the lowest ceiling, in cents.
 */
function expectedSpendLimit(c: LimitrCustomer, snapshot: Record<string, LimitrCustomer>): { amount: number; currency: string } | null {
  const reached: LimitrCustomer[] = []
  let frontier = c.refs
  for (let depth = 0; depth < 3 && frontier.length > 0; depth++) {
    const found = frontier.map((id) => snapshot[id]).filter(Boolean)
    reached.push(...found)
    frontier = found.flatMap((r) => r.refs)
  }
  const caps = [
    ...Object.values(c.caps),
    ...reached.flatMap((r) => Object.values(r.caps)).filter((k) => k.shared && (!k.shared_with?.length || k.shared_with.includes(c.type))),
  ]
  const amounts = caps
    .filter((k) => CURRENCY_CREDITS.includes(k.credit) && !k.observe_only && !k.scope?.length)
    .map((k) => ({
      amount: Math.round(Number(String(k.value).replace(k.credit, '')) * 100),
      currency: k.credit === 'rune' ? 'USD' : k.credit.toUpperCase(),
    }))
    .sort((a, b) => a.amount - b.amount)
  return amounts[0] ?? null
}

/** Every user id in a simulator's snapshot (orgs are not users), in snapshot order. */
async function limitrUserIds(sim: RunningSimulator): Promise<string[]> {
  const snapshot = (await (await fetch(String(sim.context.snapshot_url))).json()) as Record<string, LimitrCustomer> | LimitrCustomer[]
  return Object.values(snapshot)
    .filter((c) => c.type !== 'org')
    .map((c) => c.id)
}

describe('limitr: snapshot walks and cloud gets on production accounts (UNIMETER_ALLOW_PRIVATE_URLS=true)', () => {
  const gateway = useGateway({ sandbox: false, env: PRIVATE_OK })

  // 25 customers hold 5 orgs and 20 users: limits around 20 are page-1, page and page+1.
  const walks = (['map', 'array'] as const).flatMap((snapshot) => [
    ...[0, 1, 2, 25, 101].map((users) => ({ users, limit: 7, snapshot })),
    ...[1, 19, 20, 21].map((limit) => ({ users: 25, limit, snapshot })),
  ])

  it.each(walks)(
    'returns every user of $users customers exactly once with limit=$limit ($snapshot snapshot)',
    async ({ users, limit, snapshot }) => {
      await withSimulatedAccount(gateway.g, 'limitr', { users, variant: { snapshot } }, async (account) => {
        const expected = await limitrUserIds(account.sim)
        const walk = await walkAll(gateway.g, `${account.list}&limit=${limit}`)
        expect(walk.records.map((r) => r.id)).toEqual(expected)
        expect(walk.pages).toBe(Math.max(1, Math.ceil(expected.length / limit)))
      })
    },
  )

  it.each(['record', 'envelope'])(
    'gets a user by id and by alt id over the WebSocket (%s framing), equal to the listed record',
    async (framing) => {
      await withSimulatedAccount(gateway.g, 'limitr', { users: 25, variant: { framing } }, async (account) => {
        const all = (await walkAll(gateway.g, `${account.list}&limit=100`)).records
        const target = all.find((r) => r.organization && r.remote_data.alt_ids.length > 0)!
        expect((await gateway.g.json(account.get(target.id))).body).toEqual(target)
        expect((await gateway.g.json(account.get(target.remote_data.alt_ids[0]))).body).toEqual(target)
      })
    },
  )
})

describe('limitr: the sandbox account, in every response format', () => {
  // No UNIMETER_ALLOW_PRIVATE_URLS: the sandbox's loopback snapshot is allowed as the operator's own.
  const gateway = useGateway({ env: { UNIMETER_VENDOR_TIMEOUT_MS: '2000', UNIMETER_RETRY_MAX: '1' } })
  const g = () => gateway.g
  let sim: RunningSimulator
  let snapshot: Record<string, LimitrCustomer>
  let all: any[]
  const A = 'integrated_account_id=sandbox-limitr'
  const list = (query: string) => g().json(`${USERS_PATH}?${A}&${query}`)
  const get = (id: string, query = '') => g().json(`${USERS_PATH}/${encodeURIComponent(id)}?${A}&${query}`)

  beforeAll(async () => {
    sim = g().sandbox!.simulators.get('limitr')!
    snapshot = (await (await fetch(String(sim.context.snapshot_url))).json()) as Record<string, LimitrCustomer>
    all = (await walkAll(g(), `${USERS_PATH}?${A}&limit=1000`)).records
  })
  afterEach(() => sim.faults.clear())

  it('unified: each user of the snapshot, fields derived from the customer record', async () => {
    const customers = Object.values(snapshot)
    expect(all.map((r) => r.id)).toEqual(customers.filter((c) => c.type !== 'org').map((c) => c.id))
    for (const r of all) {
      const c = snapshot[r.id]
      const org = c.refs.map((ref) => snapshot[ref]).find((ref) => ref?.type === 'org')
      expect(r).toEqual(
        unifiedUser({
          id: c.id,
          name: c.label,
          emails: c.metadata?.email ? [{ email: c.metadata.email, is_primary: true }] : [],
          status: 'active',
          organization: org ? { id: org.id, name: org.label } : null,
          spend_limit: expectedSpendLimit(c, snapshot),
          remote_data: c,
        }),
      )
    }
    expect(all.some((r) => r.spend_limit) && all.some((r) => r.organization)).toBe(true)
    // Every kind of cap is in play: runes, value strings, and org budgets shared with users.
    const caps = Object.values(snapshot).flatMap((c) => Object.values(c.caps))
    expect(caps.some((k) => k.credit === 'rune') && caps.some((k) => typeof k.value === 'string') && caps.some((k) => k.shared)).toBe(true)
    const { body } = await list('limit=5')
    expect(body).toMatchObject({ result: all.slice(0, 5), result_count: 5, prev_cursor: null })
    expect(body.next_cursor).toBeTypeOf('string')
  })

  it('normalized: exactly the schema keys', async () => {
    expectNormalizedUsers((await list('limit=5&truto_response_format=normalized')).body.result)
  })

  it('raw: the snapshot itself; stream: every user; debug: no token, the snapshot URL redacted', async () => {
    expect((await list('truto_response_format=raw')).body).toEqual(snapshot)
    const res = await g().api(`${USERS_PATH}?${A}&limit=6&truto_response_format=stream`)
    expect(
      (await res.text())
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual(all)
    const { body } = await list('limit=5&truto_response_format=debug')
    expect(body.result.result).toEqual(all.slice(0, 5))
    const text = JSON.stringify(body)
    expect(text).not.toContain(sim.credentials.token)
    expect(text).not.toContain(String(sim.context.snapshot_url))
  })

  it('get: the listed record, by id and by alt id, in every format, one WebSocket per get', async () => {
    const target = all.find((r) => r.organization && r.spend_limit && r.remote_data.alt_ids.length > 0)!
    const sockets = sim.counts.get('GET /wss') ?? 0
    const logged = sim.requests.length
    expect((await get(target.id)).body).toEqual(target)
    // The SDK's sequence: the policy first, then the customer, then the customers it refers to.
    const frames = sim.requests
      .slice(logged)
      .filter((r) => r.method === 'WS')
      .map((r) => Object.fromEntries(new URLSearchParams(r.query)))
    expect(frames).toEqual([
      { type: 'policy', id: 'active' },
      { type: 'customer', id: target.id },
      ...target.remote_data.refs.map((ref: string) => ({ type: 'customer', id: ref })),
    ])
    expect((await get(target.remote_data.alt_ids.at(-1))).body).toEqual(target)
    expect(sim.counts.get('GET /wss')).toBe(sockets + 2)
    const normalized = (await get(target.id, 'truto_response_format=normalized')).body
    expectNormalizedUsers([normalized])
    const debug = (await get(target.id, 'truto_response_format=debug')).body
    expect(debug.result).toEqual(target)
    expect(debug.debug.data).toEqual(snapshot[target.id])
    expect(JSON.stringify(debug)).not.toContain(sim.credentials.token)
    expect((await get(target.id, 'truto_response_format=raw')).body).toEqual(snapshot[target.id])
    const stream = await g().api(`${USERS_PATH}/${target.id}?${A}&truto_response_format=stream`)
    expect(JSON.parse((await stream.text()).trim())).toEqual(target)
  })

  it('get: an unknown id and an org (not a user) are 404s', async () => {
    const missing = await get('user_nobody')
    expect(missing.status).toBe(404)
    expect(missing.body).toMatchObject({
      statusCode: 404,
      code: 'not_found',
      message: 'Limitr has no customer with id or alt id user_nobody',
      truto_is_remote_error: true,
    })
    expect(missing.body.raw_response).toEqual({ error: 'customer not found', id: 'user_nobody', type: 'customer' })
    const org = Object.values(snapshot).find((c) => c.type === 'org')!
    const asUser = await get(org.id)
    expect(asUser.status).toBe(404)
    expect(asUser.body).toMatchObject({ statusCode: 404, error: 'Not Found' })
  })

  it('a rejected ticket is a 401 that marks the account; the next success clears it', async () => {
    sim.faults.add({ fault: { kind: 'status', status: 401, message: 'invalid token' }, times: -1, path: '/wss/ticket', method: 'POST' })
    const { status, body } = await get(all[0].id)
    expect(status).toBe(401)
    expect(body).toMatchObject({ statusCode: 401, truto_is_remote_error: true, raw_response: { error: 'invalid token' } })
    expect(body.message).toContain('update context.token')
    expect((await g().json('/integrated-account/sandbox-limitr')).body.status).toBe('needs_reauth')
    sim.faults.clear()
    expect((await get(all[0].id)).status).toBe(200)
    expect((await g().json('/integrated-account/sandbox-limitr')).body.status).toBe('active')
  })

  it.each([
    [{ kind: 'rate-limit' as const }, 429, 'rate_limit_exceeded'],
    [{ kind: 'status' as const, status: 503, message: 'upstream unavailable' }, 502, 'remote_502'],
    [{ kind: 'malformed-json' as const }, 502, 'invalid_remote_response'],
    [{ kind: 'html-error' as const }, 502, 'invalid_remote_response'],
    [{ kind: 'reset' as const }, 502, 'remote_unreachable'],
    [{ kind: 'hang' as const }, 504, 'remote_timeout'],
  ])('a %o on the WebSocket is a %i (%s) envelope', async (fault, status, code) => {
    sim.faults.add({ fault, path: '/wss', method: 'GET' })
    const { status: got, body } = await get(all[0].id)
    expect(got).toBe(status)
    expect(body).toMatchObject({ statusCode: status, code, truto_is_remote_error: true })
    expect(body.message).toBeTypeOf('string')
    // The socket is not left in a state that breaks the next get.
    expect((await get(all[0].id)).status).toBe(200)
  })

  it('a snapshot host error keeps its status in the envelope', async () => {
    sim.faults.add({ fault: { kind: 'status', status: 403, message: 'Request has expired' }, path: '/snapshots/customers.json' })
    const { status, body } = await list('limit=5')
    expect(status).toBe(403)
    expect(body).toMatchObject({ statusCode: 403, message: 'request has expired', truto_is_remote_error: true })
  })
})

/** A Limitr Cloud that issues tickets to one token and then never completes a WebSocket handshake. */
async function startHangingCloud(): Promise<{ url: string; close(): Promise<void> }> {
  const held = new Set<Socket>()
  const server: Server = createServer((req, res) => {
    let text = ''
    req.on('data', (c) => (text += c))
    req.on('end', () => {
      const ok = req.method === 'POST' && req.url === '/wss/ticket' && JSON.parse(text || '{}').token === 'lmlive_good'
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' })
      res.end(JSON.stringify(ok ? { ticket: 'hanging-ticket' } : { error: 'invalid token' }))
    })
  })
  server.on('upgrade', (_req, socket: Socket) => {
    held.add(socket)
    socket.on('close', () => held.delete(socket))
  })
  server.on('connection', (socket) => socket.on('error', () => socket.destroy()))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const s of held) s.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

describe('limitr: production accounts under the public-https URL policy', () => {
  const gateway = useGateway({ env: { UNIMETER_WS_CONNECT_TIMEOUT_MS: '300' } })
  const g = () => gateway.g
  let cloud: Awaited<ReturnType<typeof startHangingCloud>>
  let sandboxSnapshot: string

  const account = async (context: Record<string, string>) => {
    const created = await createAccount(g(), 'limitr', { token: 'lmlive_good', ...context })
    expect(created.status).toBe(201)
    return `integrated_account_id=${created.body.id}`
  }

  beforeAll(async () => {
    cloud = await startHangingCloud()
    routeVendor(g(), 'limitr', cloud.url)
    sandboxSnapshot = String(g().sandbox!.simulators.get('limitr')!.context.snapshot_url)
  })
  afterAll(async () => {
    await cloud?.close()
  })

  it('refuses to create an account whose token the cloud rejects', async () => {
    const { status, body } = await createAccount(g(), 'limitr', { token: 'lmlive_revoked' })
    expect(status).toBe(401)
    expect(body.message).toContain('rejected the credentials')
  })

  it('without a snapshot URL, list is a 400 method_not_supported saying what to set', async () => {
    const { status, body } = await g().json(`${USERS_PATH}?${await account({})}`)
    expect(status).toBe(400)
    expect(body).toMatchObject({ statusCode: 400, code: 'method_not_supported', details: { missing_context: ['context.snapshot_url'] } })
    expect(body.message).toContain('Set context.snapshot_url to a public https URL')
  })

  it.each([
    ['the sandbox simulator (http, loopback)', () => sandboxSnapshot, /loopback/],
    ['https to loopback by name', () => 'https://localhost:9/customers.json', /loopback/],
    ['https to a private address', () => 'https://10.20.30.40/customers.json', /private/],
    ['https to cloud metadata', () => 'https://169.254.169.254/latest/meta-data', /link-local/],
  ])('refuses a snapshot URL pointing at %s, fetching nothing', async (_what, url, kind) => {
    const sim = g().sandbox!.simulators.get('limitr')!
    const before = sim.requests.length
    const { status, body } = await g().json(`${USERS_PATH}?${await account({ snapshot_url: url() })}`)
    expect(status).toBe(400)
    expect(body).toMatchObject({ statusCode: 400, code: 'url_not_allowed' })
    expect(body.message).toMatch(kind)
    expect(body.message).toContain('context.snapshot_url')
    expect(body.message).toContain('UNIMETER_ALLOW_PRIVATE_URLS')
    expect(sim.requests.length).toBe(before)
  })

  it('refuses a snapshot URL that is not http(s) when the account is created', async () => {
    const { status, body } = await createAccount(g(), 'limitr', { token: 'lmlive_good', snapshot_url: 'file:///etc/passwd' })
    expect(status).toBe(400)
    expect(body).toMatchObject({ code: 'invalid_credential', details: { field: 'context.snapshot_url' } })
  })

  it('a cloud that never completes the WebSocket handshake ends in a 504 after the connect timeout', async () => {
    const { status, body } = await g().json(`${USERS_PATH}/user_1?${await account({})}`)
    expect(status).toBe(504)
    expect(body).toMatchObject({ statusCode: 504, code: 'remote_timeout' })
    expect(body.message).toContain('did not accept the WebSocket connection within 300 ms')
  })
})
