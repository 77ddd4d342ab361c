/**
 * The set-up most figures share: a vendor simulator in one process, the gateway in another (its
 * sandbox off, the connector's base URL pointed at the simulator), and an integrated account
 * connected through the public API — the way an operator would run it against a real vendor.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { baseUrlOverrideKey } from '../../src/config/settings'
import { forkChild, type Child } from './processes'

export const BENCH_TOKEN = 'bench-admin-token-0123456789'
export const BENCH_KEY = Buffer.alloc(32, 9).toString('base64')

export interface SimulatorInfo {
  baseUrl: string
  origin: string
  credentials: Record<string, string>
  context: Record<string, string>
}

/** Environment of a gateway process that keeps its data in `dir`. */
export function gatewayEnv(dir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    UNIMETER_DATABASE_PATH: join(dir, 'unimeter.db'),
    UNIMETER_ADMIN_TOKEN: BENCH_TOKEN,
    UNIMETER_ENCRYPTION_KEY: BENCH_KEY,
    UNIMETER_LOG_LEVEL: 'warn',
    // The gateway's own per-token/per-account limits (500 and 50 per 10 s) would cap a load test
    // at 50 req/s; raised out of the way, their bookkeeping still runs on every request.
    UNIMETER_RATE_LIMIT_TOKEN: '1000000000',
    UNIMETER_RATE_LIMIT_ACCOUNT: '1000000000',
    ...extra,
  }
}

export const authHeaders = { authorization: `Bearer ${BENCH_TOKEN}` }

export function startSimulatorProcess(connector: string, users: number, variant?: Record<string, string>): Promise<Child<SimulatorInfo>> {
  return forkChild<SimulatorInfo>('simulator', { connector, users, variant })
}

/** Runs `work` with a simulator process of `users` users, stopped afterwards whatever happens. */
export async function withSimulator<T>(
  connector: string,
  users: number,
  work: (sim: SimulatorInfo) => Promise<T>,
  variant?: Record<string, string>,
): Promise<T> {
  const sim = await startSimulatorProcess(connector, users, variant)
  try {
    return await work(sim.info)
  } finally {
    await sim.stop()
  }
}

export interface GatewayProcess {
  child: Child<{ url: string }>
  url: string
  accountId: string
  dir: string
  stop(): Promise<void>
}

/** A gateway process for `connector`, calling the simulator at `sim`, with one connected account. */
export async function startGatewayProcess(
  connector: string,
  sim: SimulatorInfo,
  options: { nodeArgs?: string[]; env?: Record<string, string>; precompiled?: boolean } = {},
): Promise<GatewayProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'unimeter-bench-'))
  const env = gatewayEnv(dir, {
    UNIMETER_SANDBOX: 'off',
    UNIMETER_ALLOW_PRIVATE_URLS: 'true',
    [baseUrlOverrideKey(connector)]: sim.baseUrl,
    ...options.env,
  })
  const child = await forkChild<{ url: string }>('gateway', {}, env, { nodeArgs: options.nodeArgs, precompiled: options.precompiled })
  const stop = async () => {
    await child.stop()
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    const res = await fetch(`${child.info.url}/integrated-account`, {
      method: 'POST',
      headers: { ...authHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ integration: connector, context: { ...sim.context, ...sim.credentials } }),
    })
    const body = (await res.json()) as { id?: string }
    if (res.status !== 201 || !body.id) throw new Error(`connecting the ${connector} account failed: ${res.status} ${JSON.stringify(body)}`)
    return { child, url: child.info.url, accountId: body.id, dir, stop }
  } catch (err) {
    await stop()
    throw err
  }
}

/** Requests the simulator served per `METHOD path` so far (its `/__sim/requests` control route). */
export async function simulatorCounts(sim: SimulatorInfo): Promise<Record<string, number>> {
  const res = await fetch(`${sim.origin}/__sim/requests`)
  return ((await res.json()) as { counts: Record<string, number> }).counts
}

export function diffCounts(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {}
  for (const [k, v] of Object.entries(after)) if (v - (before[k] ?? 0) > 0) out[k] = v - (before[k] ?? 0)
  return out
}
