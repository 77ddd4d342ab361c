/**
 * Every connector unimeter ships. Adding a vendor: a folder beside this file with its
 * `connector.ts` (and `simulator/`), its mappings under mappings/, and one line here.
 */
import type { ConnectorModule } from '../src/engine/connector-types'
import { claude } from './claude/connector'
import { ConnectorRegistry } from './registry'

export const connectorModules: ConnectorModule[] = [claude]

export const connectors = new ConnectorRegistry(connectorModules)
export { ConnectorRegistry }
