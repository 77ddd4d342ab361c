/**
 * Every connector unimeter ships. Adding a vendor: a folder beside this file with its
 * `connector.ts` (and `simulator/`), its mappings under mappings/, and one line here.
 */
import type { ConnectorModule } from '../src/engine/connector-types'
import { claude } from './claude/connector'
import { cursor } from './cursor/connector'
import { githubCopilot } from './github-copilot/connector'
import { limitly } from './limitly/connector'
import { limitr } from './limitr/connector'
import { neon } from './neon/connector'
import { openaiCodex } from './openai-codex/connector'
import { ConnectorRegistry } from './registry'

export const connectorModules: ConnectorModule[] = [claude, openaiCodex, cursor, neon, limitly, limitr, githubCopilot]

export const connectors = new ConnectorRegistry(connectorModules)
export { ConnectorRegistry }
