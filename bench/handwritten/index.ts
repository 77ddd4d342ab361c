/**
 * Hand-written TypeScript equivalents of each connector's list mapping: the reference the
 * mapping throughput figure compares JSONata with. Each takes the very input the production path
 * gives the mapping (one vendor page, its side loads) and must return byte-identical records —
 * the benchmark checks that on every page before it times anything.
 */
import type { MappingInput } from '../../src/engine/mapping/mapping-engine'
import { claudeUsers } from './claude'
import { cursorUsers } from './cursor'
import { githubCopilotUsers } from './github-copilot'
import { limitlyUsers } from './limitly'
import { limitrUsers } from './limitr'
import { neonUsers } from './neon'
import { openaiCodexUsers } from './openai-codex'

export type HandMapper = (input: MappingInput) => Array<Record<string, unknown>>

/** By connector id; a connector missing here is measured with JSONata alone. */
export const handwrittenMappers: Record<string, HandMapper> = {
  claude: claudeUsers,
  'openai-codex': openaiCodexUsers,
  cursor: cursorUsers,
  neon: neonUsers,
  limitly: limitlyUsers,
  limitr: limitrUsers,
  'github-copilot': githubCopilotUsers,
}
