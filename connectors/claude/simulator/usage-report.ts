/**
 * `GET /v1/organizations/usage_report/claude_code` (providers.md §1.3): one day of Claude Code
 * activity, one row per actor × terminal (× is_remote), paged with an opaque `page` cursor.
 *
 * Who is active is arithmetic, not storage: every user who had joined by the end of the day and
 * whose index % 3 !== 2, then a few API-key actors. A cursor names the next row's position
 * (`u<index>.<sub>` or `a<n>`), so any page is produced by walking forward from it: O(limit).
 */
import { hash32, mulberry32 } from '../../../src/sandbox/simulator-kit'
import type { ClaudeWorld } from './data'
import { BadRequest } from './params'

export type IsRemoteMode = 'mixed' | 'always' | 'never'

export interface ReportOptions {
  /** `api` orgs report `subscription_type: null`; `subscription` orgs report `enterprise` or `team`. */
  customerType: 'api' | 'subscription'
  subscriptionType: 'enterprise' | 'team'
  /** `is_remote` is a newer field (§1.3): parsers must cope with rows with and without it. */
  isRemote: IsRemoteMode
}

type Position = { kind: 'user'; index: number; sub: 0 | 1 } | { kind: 'api'; n: number }

const DAY_MS = 86_400_000
const TERMINALS = [
  'vscode',
  'iTerm.app',
  'Apple_Terminal',
  'cursor',
  'tmux',
  'ghostty',
  'WarpTerminal',
  'pycharm',
  'windsurf',
  'xterm-256color',
]
const API_KEY_NAMES = ['ci-code-review', 'nightly-migrations', 'docs-bot']

/** Model list prices in US cents per million tokens: input, output, cache write, cache read. */
const MODELS: Array<[string, number, number, number, number]> = [
  ['claude-sonnet-4-20250514', 300, 1500, 375, 30],
  ['claude-sonnet-4-5-20250929', 300, 1500, 375, 30],
  ['claude-opus-4-1-20250805', 1500, 7500, 1875, 150],
  ['claude-3-5-haiku-20241022', 80, 400, 100, 8],
]

/** `YYYY-MM-DD` → day number since the epoch; anything else is the 400 the API gives. */
export function parseDay(raw: string | null): number {
  if (raw === null) throw new BadRequest('starting_at: Field required')
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw)
  if (!m) throw new BadRequest(`starting_at: String should match pattern '^\\d{4}-\\d{2}-\\d{2}$'`)
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  if (new Date(ms).toISOString().slice(0, 10) !== raw)
    throw new BadRequest(`starting_at: Input should be a valid date, day value is outside expected range`)
  return ms / DAY_MS
}

/** Opaque like Anthropic's `page_<base64>`; carries the day so a cursor cannot cross days. */
export function encodePage(day: number, pos: Position): string {
  const date = new Date(day * DAY_MS).toISOString().slice(0, 10)
  const where = pos.kind === 'user' ? `u${pos.index}.${pos.sub}` : `a${pos.n}`
  return `page_${Buffer.from(`${date}T00:00:00Z#${where}`).toString('base64')}`
}

export function decodePage(day: number, page: string): Position {
  const bad = new BadRequest('page: Invalid page token')
  if (!page.startsWith('page_')) throw bad
  // A client that forgets to URL-encode the cursor turns its '+' into spaces: accept that too.
  const text = Buffer.from(page.slice(5).replace(/ /g, '+'), 'base64').toString('utf8')
  const m = /^(\d{4}-\d{2}-\d{2})T00:00:00Z#(?:u(\d+)\.([01])|a(\d+))$/.exec(text)
  if (!m || Date.parse(`${m[1]}T00:00:00Z`) / DAY_MS !== day) throw bad
  return m[2] !== undefined ? { kind: 'user', index: Number(m[2]), sub: Number(m[3]) as 0 | 1 } : { kind: 'api', n: Number(m[4]) }
}

export class UsageReport {
  constructor(
    private readonly world: ClaudeWorld,
    private readonly options: ReportOptions,
  ) {}

  /** Seeded per (day, actor) so each row is the same on every request and every page size. */
  private rng(day: number, actor: number): () => number {
    return mulberry32(hash32(this.world.options.seed ^ Math.imul(day, 0x9e3779b1), actor))
  }

  /** Users who had joined by the end of `day`: a prefix of the index range. */
  private joinedBy(day: number): number {
    return this.world.joinedBefore((day + 1) * DAY_MS * 1000)
  }

  private apiActors(day: number): number {
    if (this.joinedBy(day) === 0) return 0
    const h = hash32(this.world.options.seed ^ 0x41504941, day) % 4
    return h === 0 ? 2 : h === 1 ? 1 : 0
  }

  /** Whether `index` reports a second row that day (another terminal, or the remote half). */
  private hasSecondRow(day: number, index: number): boolean {
    return hash32(this.world.options.seed ^ 0x5345434f, index * 7919 + day) % 4 === 0
  }

  private hasIsRemote(day: number, index: number): boolean {
    if (this.options.isRemote !== 'mixed') return this.options.isRemote === 'always'
    return hash32(this.world.options.seed ^ 0x52454d54, index * 104729 + day) % 2 === 0
  }

  /** The first row position at or after `pos` that exists on `day`, or undefined at the end. */
  private settle(day: number, pos: Position): Position | undefined {
    if (pos.kind === 'user') {
      let { index, sub } = pos
      // Skip users who were idle that day, and second rows that do not exist.
      while (index % 3 === 2 || (sub === 1 && !this.hasSecondRow(day, index))) {
        index += 1
        sub = 0
      }
      if (index < this.joinedBy(day)) return { kind: 'user', index, sub }
      pos = { kind: 'api', n: 0 }
    }
    return pos.n < this.apiActors(day) ? pos : undefined
  }

  private after(pos: Position): Position {
    if (pos.kind === 'api') return { kind: 'api', n: pos.n + 1 }
    return pos.sub === 0 ? { kind: 'user', index: pos.index, sub: 1 } : { kind: 'user', index: pos.index + 1, sub: 0 }
  }

  page(day: number, page: string | null, limit: number): { rows: unknown[]; start: Position | undefined; next: Position | undefined } {
    const start = this.settle(day, page === null ? { kind: 'user', index: 0, sub: 0 } : decodePage(day, page))
    const rows: unknown[] = []
    let pos = start
    while (pos && rows.length < limit) {
      rows.push(this.row(day, pos))
      pos = this.settle(day, this.after(pos))
    }
    return { rows, start, next: pos }
  }

  private row(day: number, pos: Position): Record<string, unknown> {
    const date = `${new Date(day * DAY_MS).toISOString().slice(0, 10)}T00:00:00Z`
    const api = pos.kind === 'api'
    const actorKey = api ? -1 - pos.n : pos.index * 2 + pos.sub
    const rand = this.rng(day, actorKey)
    const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1))
    const firstTerminal = api ? 0 : hash32(this.world.options.seed ^ 0x5445524d, pos.index) % TERMINALS.length
    const terminal = api
      ? 'non-interactive'
      : TERMINALS[(firstTerminal + (pos.sub === 1 ? 1 + (hash32(day, pos.index) % (TERMINALS.length - 1)) : 0)) % TERMINALS.length]
    const sessions = int(1, api ? 40 : 14)
    const scale = api ? 3 : 1

    const modelCount = int(1, 2)
    const first = int(0, MODELS.length - 1)
    const model_breakdown = Array.from({ length: modelCount }, (_, k) => {
      const [model, pin, pout, pwrite, pread] = MODELS[(first + k) % MODELS.length]
      const tokens = {
        cache_creation: int(500, 40_000) * scale,
        cache_read: int(5_000, 900_000) * scale,
        input: int(2_000, 120_000) * scale,
        output: int(800, 40_000) * scale,
      }
      const cents = (tokens.input * pin + tokens.output * pout + tokens.cache_creation * pwrite + tokens.cache_read * pread) / 1e6
      return { estimated_cost: { amount: Math.round(cents), currency: 'USD' }, model, tokens }
    })
    const accepted = (hi: number): { accepted: number; rejected: number } => ({ accepted: int(0, hi), rejected: int(0, Math.ceil(hi / 6)) })

    const row: Record<string, unknown> = {
      actor: api
        ? { api_key_name: API_KEY_NAMES[(pos.n + day) % API_KEY_NAMES.length], type: 'api_actor' }
        : { email_address: this.world.user(pos.index).email, type: 'user_actor' },
      core_metrics: {
        commits_by_claude_code: int(0, 6 * scale),
        lines_of_code: { added: int(0, 900 * scale), removed: int(0, 300 * scale) },
        num_sessions: sessions,
        pull_requests_by_claude_code: int(0, 2 * scale),
      },
      customer_type: api ? 'api' : this.options.customerType,
      date,
      model_breakdown,
      organization_id: this.world.orgId,
      terminal_type: terminal,
      tool_actions: {
        edit_tool: accepted(30),
        multi_edit_tool: accepted(12),
        notebook_edit_tool: accepted(int(0, 1) * 5),
        write_tool: accepted(10),
      },
      subscription_type: api || this.options.customerType === 'api' ? null : this.options.subscriptionType,
    }
    // One row per actor × terminal × is_remote: when the field is present, the second row is the
    // remote half of the same day; when it is not, the second row is simply another terminal.
    if (!api && this.hasIsRemote(day, pos.index)) row.is_remote = pos.sub === 1
    return row
  }
}
