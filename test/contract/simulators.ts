/**
 * The vendor simulators the contract suite runs against: one per shipped connector, started in
 * the test process on 127.0.0.1. Gateways reach them through `UNIMETER_<ID>_BASE_URL`, and the
 * suite injects faults over their HTTP control surface (`/__sim/faults`), as a test in another
 * process would, so nothing depends on sharing memory with the gateway.
 */
import { connectorModules } from '../../connectors'
import { baseUrlOverrideKey } from '../../src/config/settings'
import type { ConnectorDefinition } from '../../src/engine/connector-types'
import type { FaultRule } from '../../src/sandbox/simulator-kit/faults'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit/types'

/** Users per simulator: enough for several pages at the suite's page sizes. */
export const SIMULATED_USERS = 23

export interface ContractVendor {
  connector: ConnectorDefinition
  sim: RunningSimulator
  /** The `context` that creates an integrated account for this simulator. */
  accountContext: Record<string, string>
}

export async function startVendors(): Promise<ContractVendor[]> {
  const vendors: ContractVendor[] = []
  try {
    for (const mod of connectorModules) {
      if (!mod.simulator) continue
      const sim = await (await mod.simulator())({ users: SIMULATED_USERS })
      vendors.push({ connector: mod.definition, sim, accountContext: { ...sim.context, ...sim.credentials } })
    }
  } catch (err) {
    await stopVendors(vendors)
    throw err
  }
  return vendors
}

export async function stopVendors(vendors: ContractVendor[]): Promise<void> {
  await Promise.all(vendors.map((v) => v.sim.close()))
}

/** `UNIMETER_<ID>_BASE_URL` for every simulator: how an operator points a gateway at a vendor. */
export function baseUrlEnv(vendors: ContractVendor[]): Record<string, string> {
  return Object.fromEntries(vendors.map((v) => [baseUrlOverrideKey(v.connector.id), v.sim.baseUrl]))
}

export async function injectFault(vendor: ContractVendor, rule: FaultRule): Promise<void> {
  const res = await fetch(`${vendor.sim.origin}/__sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rule),
  })
  if (res.status !== 200) throw new Error(`${vendor.connector.id} simulator refused the fault: ${res.status} ${await res.text()}`)
}

export async function clearFaults(vendor: ContractVendor): Promise<void> {
  await fetch(`${vendor.sim.origin}/__sim/faults`, { method: 'DELETE' })
}
