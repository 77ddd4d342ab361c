/** Looks connectors up by id; the list of connectors itself is in connectors/index.ts. */
import type { ConnectorDefinition, ConnectorModule } from '../src/engine/connector-types'

export class ConnectorRegistry {
  private readonly byId = new Map<string, ConnectorModule>()

  constructor(modules: ConnectorModule[]) {
    for (const m of modules) this.byId.set(m.definition.id, m)
  }

  get(id: string): ConnectorDefinition | undefined {
    return this.byId.get(id)?.definition
  }

  module(id: string): ConnectorModule | undefined {
    return this.byId.get(id)
  }

  all(): ConnectorDefinition[] {
    return [...this.byId.values()].map((m) => m.definition)
  }

  modules(): ConnectorModule[] {
    return [...this.byId.values()]
  }

  ids(): string[] {
    return [...this.byId.keys()]
  }
}
