/**
 * The simulated organization's workspaces: a fixed handful (one archived), with Anthropic-looking
 * ids (`wrkspc_01…`) that decode to their index, served through the same id-cursor pages as
 * users. `include_archived` is false by default, as the API's is.
 * https://platform.claude.com/docs/en/api/admin/workspaces/list
 */
import type { SimRequest } from '../../../src/sandbox/simulator-kit'
import { scan } from './collections'
import { rfc3339Micros } from './data'
import type { IndexedCollection } from './id-pages'
import { idCodec, type IdCodec } from './ids'
import { BadRequest } from './params'

export interface ClaudeWorkspace {
  id: string
  type: 'workspace'
  name: string
  created_at: string
  archived_at: string | null
  display_color: string
}

const DAY_US = 86_400_000_000
const START_US = Date.UTC(2024, 0, 2) * 1000
/** name, display color, days after the org's start it was created, days later archived (or null). */
const SPECS: Array<[string, string, number, number | null]> = [
  ['Production', '#6C5BB9', 0, null],
  ['Claude Code', '#D97757', 30, null],
  ['Research', '#2E7D6B', 95, null],
  ['Hackathon 2024', '#B0892D', 160, 21],
]

export class ClaudeWorkspaces {
  readonly ids: IdCodec
  readonly count = SPECS.length

  constructor(seed: number) {
    this.ids = idCodec('wrkspc_', seed, 0x57524b53)
  }

  item(index: number): ClaudeWorkspace {
    const [name, color, createdDay, archivedAfter] = SPECS[index]
    const created = START_US + createdDay * DAY_US + index * 3_600_000_000
    return {
      id: this.ids.idOf(index),
      type: 'workspace',
      name,
      created_at: rfc3339Micros(created),
      archived_at: archivedAfter === null ? null : rfc3339Micros(created + archivedAfter * DAY_US),
      display_color: color,
    }
  }

  isArchived(index: number): boolean {
    return SPECS[index][3] !== null
  }

  /** The list as a pageable collection, archived ones only when `include_archived=true`. */
  collection(req: SimRequest): IndexedCollection<ClaudeWorkspace> {
    const raw = req.query.get('include_archived')
    if (raw !== null && raw !== 'true' && raw !== 'false') throw new BadRequest('include_archived: Input should be a valid boolean')
    const archived = raw === 'true'
    return {
      count: this.count,
      ids: this.ids,
      item: (i) => this.item(i),
      nextMatch: (from, step) => scan(this.count, from, step, (i) => archived || !this.isArchived(i)),
    }
  }
}
