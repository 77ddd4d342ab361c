/**
 * The built-in sandbox: every connector's simulator started on loopback, and one integrated
 * account per connector (environment "sandbox") pointed at it, so a fresh `npm start` has data.
 */
import type { RunningSimulator, SimulatorOptions } from './simulator-kit/types'
import type { GatewayServices } from '../services'

export interface Sandbox {
  simulators: Map<string, RunningSimulator>
  /** connector id → sandbox integrated account id */
  accounts: Map<string, string>
  close(): Promise<void>
}

const sandboxAccountId = (connectorId: string) => `sandbox-${connectorId}`

export async function startSandbox(services: GatewayServices, options: SimulatorOptions = {}): Promise<Sandbox> {
  const simulators = new Map<string, RunningSimulator>()
  const accounts = new Map<string, string>()
  for (const mod of services.connectors.modules()) {
    if (!mod.simulator) continue
    const connector = mod.definition
    try {
      const start = await mod.simulator()
      const sim = await start({ ...options })
      simulators.set(connector.id, sim)
      services.sandboxUrls.set(connector.id, sim.baseUrl)
      const id = sandboxAccountId(connector.id)
      const existing = await services.accounts.get(id)
      const context = { ...sim.context, ...sim.credentials }
      if (!existing) {
        await services.accounts.create({ id, connector, environment: 'sandbox', tenantId: 'sandbox', context })
      } else {
        // Simulator keys may change between versions: keep the sandbox account in step.
        await services.accounts.update(existing, connector, { context, status: 'active', lastError: null })
      }
      accounts.set(connector.id, id)
    } catch (err) {
      services.logger.warn('sandbox simulator did not start', { connector: connector.id, error: (err as Error).message })
    }
  }
  return {
    simulators,
    accounts,
    close: async () => {
      await Promise.all([...simulators.values()].map((s) => s.close()))
      for (const id of simulators.keys()) services.sandboxUrls.delete(id)
    },
  }
}
