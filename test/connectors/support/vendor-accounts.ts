/**
 * Connector tests talk to vendors the way production does: a vendor server on loopback (a
 * simulator, or a replay of recorded answers) that the operator's `UNIMETER_<ID>_BASE_URL`
 * points at, and an integrated account created through POST /integrated-account (so the
 * connector's verification request runs too). Everything started here is closed by the caller.
 */
import { baseUrlOverrideKey } from '../../../src/config/settings'
import { startSimServer, type SimServer } from '../../../src/sandbox/simulator-kit'
import type { RunningSimulator, SimulatorOptions } from '../../../src/sandbox/simulator-kit/types'
import { connectors } from '../../../connectors'
import type { TestGateway } from '../../support/gateway'

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

/** `METHOD /path` (query ignored) → the recorded JSON body answered with 200. */
export type Recording = Record<string, unknown>

export interface Replay extends SimServer {
  baseUrl: string
  /** JSON bodies the gateway sent, by `METHOD /path` (as recorded, without the base path). */
  sent: Map<string, unknown[]>
}

/** A vendor that answers recorded bodies, for fixture tests; unknown paths get a 404. */
export async function startReplay(basePath: string, recording: Recording): Promise<Replay> {
  const sent = new Map<string, unknown[]>()
  const server = await startSimServer({
    vendor: { errorBody: (_status, message) => ({ error: { message } }), defaultRetryAfter: null },
    routes: Object.entries(recording).map(([key, body]) => {
      const [method, path] = key.split(' ')
      const handler = (req: { body: unknown }) => {
        sent.set(key, [...(sent.get(key) ?? []), req.body])
        return { status: 200, body }
      }
      return { method, pattern: basePath + path, handler }
    }),
  })
  return { ...server, baseUrl: server.origin + basePath, sent }
}
