/**
 * Connector tests talk to vendors the way production does: a vendor server on loopback (a
 * simulator, or a replay of recorded answers) that the operator's `UNIMETER_<ID>_BASE_URL`
 * points at, and an integrated account created through POST /integrated-account (so the
 * connector's verification request runs too). Everything started here is closed by the caller.
 */
import { baseUrlOverrideKey } from '../../../src/config/settings'
import { startSimServer, type SimServer } from '../../../src/sandbox/simulator-kit'
import type { RunningSimulator, SimulatorOptions } from '../../../src/sandbox/simulator-kit/types'
import { afterAll, beforeAll } from 'vitest'
import { connectors } from '../../../connectors'
import { startTestGateway, type TestGateway } from '../../support/gateway'

export const USERS_PATH = '/unified/usage-metering/users'

/** Points the connector's production base URL at `baseUrl` (read per request by the gateway). */
export function routeVendor(g: TestGateway, connectorId: string, baseUrl: string): void {
  g.services.env[baseUrlOverrideKey(connectorId)] = baseUrl
}

export async function createAccount(g: TestGateway, integration: string, context: Record<string, string>) {
  return g.json('/integrated-account', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ integration, tenant_id: 'connector-tests', context }),
  })
}

/** The connector's simulator, started fresh with these options. */
export async function startVendorSimulator(connectorId: string, options: SimulatorOptions): Promise<RunningSimulator> {
  const mod = connectors.module(connectorId)
  if (!mod?.simulator) throw new Error(`connector ${connectorId} has no simulator`)
  return (await mod.simulator())(options)
}

export interface VendorAccount {
  sim: RunningSimulator
  accountId: string
  /** `/unified/usage-metering/users?integrated_account_id=…` */
  list: string
  get(id: string): string
}

/** A simulator of `users` users, and a verified production account on it. */
export async function simulatedAccount(g: TestGateway, connectorId: string, options: SimulatorOptions): Promise<VendorAccount> {
  const sim = await startVendorSimulator(connectorId, options)
  routeVendor(g, connectorId, sim.baseUrl)
  const created = await createAccount(g, connectorId, { ...sim.context, ...sim.credentials })
  if (created.status !== 201) {
    await sim.close()
    throw new Error(`account creation failed: ${created.status} ${JSON.stringify(created.body)}`)
  }
  const q = `integrated_account_id=${encodeURIComponent(created.body.id)}`
  return { sim, accountId: created.body.id, list: `${USERS_PATH}?${q}`, get: (id) => `${USERS_PATH}/${encodeURIComponent(id)}?${q}` }
}

/**
 * `METHOD /path` → the recorded JSON body answered with 200, whatever the query. A key may name
 * query parameters (`GET /users?after_id=last_id`): it then answers only requests carrying them,
 * and wins over the bare path, so a recorded walk can serve its second page.
 */
export type Recording = Record<string, unknown>

/** The recording's answer for a request: the key naming the most matching parameters. */
function pick(candidates: Array<{ params: URLSearchParams; key: string; body: unknown }>, query: URLSearchParams) {
  const matching = candidates.filter((c) => [...c.params].every(([k, v]) => query.getAll(k).includes(v)))
  return matching.sort((a, b) => [...b.params].length - [...a.params].length)[0]
}

export interface Replay extends SimServer {
  baseUrl: string
  /** JSON bodies the gateway sent, by `METHOD /path` (as recorded, without the base path). */
  sent: Map<string, unknown[]>
}

/** A vendor that answers recorded bodies, for fixture tests; unknown paths get a 404. */
export async function startReplay(basePath: string, recording: Recording): Promise<Replay> {
  const sent = new Map<string, unknown[]>()
  const byRoute = new Map<string, Array<{ params: URLSearchParams; key: string; body: unknown }>>()
  for (const [key, body] of Object.entries(recording)) {
    const [route, search = ''] = key.split('?')
    byRoute.set(route, [...(byRoute.get(route) ?? []), { params: new URLSearchParams(search), key, body }])
  }
  const server = await startSimServer({
    vendor: { errorBody: (_status, message) => ({ error: { message } }), defaultRetryAfter: null },
    routes: [...byRoute].map(([route, candidates]) => {
      const [method, path] = route.split(' ')
      const handler = (req: { body: unknown; query: URLSearchParams }) => {
        const hit = pick(candidates, req.query)
        if (!hit) return { status: 404, body: { error: { message: `nothing recorded for ${route}?${req.query}` } } }
        sent.set(hit.key, [...(sent.get(hit.key) ?? []), req.body])
        return { status: 200, body: hit.body }
      }
      return { method, pattern: basePath + path, handler }
    }),
  })
  return { ...server, baseUrl: server.origin + basePath, sent }
}

/** A gateway for the enclosing describe block: started before its tests, closed after them. */
export function useGateway(options: Parameters<typeof startTestGateway>[0] = { sandbox: false }): { readonly g: TestGateway } {
  let g: TestGateway | undefined
  beforeAll(async () => {
    g = await startTestGateway(options)
  })
  afterAll(async () => {
    await g?.close()
  })
  return {
    get g() {
      if (!g) throw new Error('the gateway starts in beforeAll')
      return g
    },
  }
}

/**
 * For fixture tests: a gateway, a replay of `recording`, and an account on it, for the enclosing
 * describe block. `q` is the `integrated_account_id=…` query.
 */
export function useReplayAccount(connectorId: string, basePath: string, recording: Recording, context: Record<string, string>) {
  const holder = useGateway()
  const state: { replay?: Replay; q?: string } = {}
  beforeAll(async () => {
    state.replay = await startReplay(basePath, recording)
    routeVendor(holder.g, connectorId, state.replay.baseUrl)
    const created = await createAccount(holder.g, connectorId, context)
    if (created.status !== 201) throw new Error(`account creation failed: ${created.status} ${JSON.stringify(created.body)}`)
    state.q = `integrated_account_id=${encodeURIComponent(created.body.id)}`
  })
  afterAll(async () => {
    await state.replay?.close()
  })
  return {
    get g() {
      return holder.g
    },
    get replay() {
      return state.replay!
    },
    get q() {
      return state.q!
    },
  }
}

/** Runs `fn` on a fresh simulator of the connector with an account on it, and closes the simulator. */
export async function withSimulatedAccount<T>(
  g: TestGateway,
  connectorId: string,
  options: SimulatorOptions,
  fn: (account: VendorAccount) => Promise<T>,
): Promise<T> {
  const account = await simulatedAccount(g, connectorId, options)
  try {
    return await fn(account)
  } finally {
    await account.sim.close()
  }
}

/**
 * Every id of an id-cursor list (`after`/`after_id` ← `last_id` while `has_more`), read from the
 * vendor; `keep` picks the records that count (e.g. pending invites only).
 */
export async function idsFromCursorList(
  url: (after: string | null) => string,
  headers: Record<string, string>,
  keep: (record: Record<string, unknown>) => boolean = () => true,
): Promise<string[]> {
  const ids: string[] = []
  let after: string | null = null
  do {
    const page = (await (await fetch(url(after), { headers })).json()) as {
      data: Array<{ id: string }>
      last_id: string | null
      has_more: boolean
    }
    ids.push(...page.data.filter(keep).map((u) => u.id))
    after = page.has_more ? page.last_id : null
  } while (after)
  return ids
}
