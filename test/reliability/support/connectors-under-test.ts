/**
 * The connectors the reliability and security suites run against, for one unified resource:
 * every registered connector that ships a simulator and lists that resource, read from the
 * registry so a connector added later is covered without touching the suites. Each entry knows
 * where its list lives at the vendor, so faults can be aimed at it and its attempts counted from
 * the simulator's own request log.
 */
import { connectorModules } from '../../../connectors'
import type { GetMethodSpec, GetViaListSpec, ListMethodSpec } from '../../../src/engine/connector-types'
import { renderPath, renderText } from '../../../src/engine/template'
import { resourceKey, type UnifiedResource } from '../../../src/models/model-registry'
import { usageMeteringUsers } from '../../../src/models/usage-metering/users'
import type { RunningSimulator } from '../../../src/sandbox/simulator-kit'
import type { TestGateway } from '../../support/gateway'

export interface ConnectorCase {
  id: string
  /** The resource under test, e.g. `usage-metering/users`. */
  resource: string
  spec: ListMethodSpec
  get?: GetMethodSpec | GetViaListSpec
  /** Errors pass through a JSONata error mapping, which may choose another status. */
  mapsErrors: boolean
  accountId: string
}

/** Known at collection time (no gateway needed), for `describe.each`. */
export function connectorCasesOf(resource: UnifiedResource): ConnectorCase[] {
  const key = resourceKey(resource)
  return connectorModules.flatMap((m) => {
    const methods = m.definition.resources[key]
    if (!m.simulator || !methods?.list) return []
    return [
      {
        id: m.definition.id,
        resource: key,
        spec: methods.list,
        get: resource.methods.includes('get') ? methods.get : undefined,
        mapsErrors: Boolean(m.definition.errors.mapping),
        accountId: `sandbox-${m.definition.id}`,
      },
    ]
  })
}

/** The suites' default resource: users, which every connector serves. */
export const connectorCases: ConnectorCase[] = connectorCasesOf(usageMeteringUsers)

export interface LiveConnector extends ConnectorCase {
  sim: RunningSimulator
  /** The list endpoint's path at the simulator (base path included), for fault rules. */
  vendorPath: string
  method: string
  /**
   * Where a get reaches the vendor over HTTP, for fault rules: the get endpoint's path prefix,
   * the list path for a via-list get, or undefined for a custom protocol (every HTTP request it
   * makes, e.g. Limitr's ticket, is then the target).
   */
  getPath?: string
  /** Requests the simulator served under `getPath` (all of them when it is undefined). */
  getAttempts(): number
  listUrl(query?: string): string
  /** Requests the simulator has served on the list endpoint since the last reset. */
  attempts(): number
  /** Arrival times of those requests, oldest first. */
  arrivals(): number[]
  /** Clears faults and the request log, so each test counts only its own requests. */
  reset(): void
}

export function liveConnector(g: TestGateway, c: ConnectorCase): LiveConnector {
  const sim = g.sandbox?.simulators.get(c.id)
  if (!sim) throw new Error(`the sandbox did not start a simulator for ${c.id}`)
  const scope = { credentials: { ...sim.context, ...sim.credentials }, context: { ...sim.context, ...sim.credentials } }
  // A request with a whole-URL template (Limitr's snapshot) is rooted there, not at the base URL.
  const basePathOf = (url?: string) => new URL(url ? renderText(url, scope) : sim.baseUrl).pathname.replace(/\/+$/, '')
  const listPath = c.spec.request.path ? renderPath(c.spec.request.path, scope) : ''
  const vendorPath = `${basePathOf(c.spec.request.url)}${decodeURIComponent(listPath)}`
  const method = c.spec.request.method
  const getPath = !c.get
    ? undefined
    : 'via' in c.get
      ? vendorPath
      : c.get.fetch
        ? undefined
        : `${basePathOf(c.get.request.url)}${renderText(c.get.request.path.split(/\{\{\s*id\s*\}\}/)[0], scope)}`
  const servedUnder = (prefix: string | undefined) =>
    [...sim.counts.entries()].filter(([k]) => prefix === undefined || k.split(' ')[1].startsWith(prefix)).reduce((n, [, v]) => n + v, 0)
  return {
    ...c,
    sim,
    vendorPath,
    method,
    listUrl: (query = '') => `/unified/${c.resource}?integrated_account_id=${encodeURIComponent(c.accountId)}${query ? `&${query}` : ''}`,
    getPath,
    getAttempts: () => servedUnder(getPath),
    attempts: () => sim.counts.get(`${method} ${vendorPath}`) ?? 0,
    arrivals: () => sim.requests.filter((r) => r.method === method && r.path === vendorPath).map((r) => r.at),
    reset: () => {
      sim.faults.clear()
      sim.counts.clear()
      sim.requests.length = 0
    },
  }
}

export function ids(records: Array<{ id?: unknown }>): string[] {
  return records.map((r) => String(r.id))
}
