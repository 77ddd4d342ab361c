/**
 * `GET /v1/organizations/analytics/users` (Claude Enterprise Analytics): one row per member who
 * had joined by the end of `date`, sorted by email, with that day's engagement counts (zeros for
 * a quiet day, as the API reports every member). Days newer than three days ago, older than
 * 2026-01-01 or malformed are the API's 400. Cursor `page` / `next_page`; `limit` 1–1000, default 100.
 * https://platform.claude.com/docs/en/api/admin/analytics/users/list
 * https://platform.claude.com/docs/en/manage-claude/analytics-api
 * https://support.claude.com/en/articles/13703965-claude-enterprise-analytics-api-reference-guide
 */
import { hash32, mulberry32 } from '../../../src/sandbox/simulator-kit'
import type { ClaudeWorld } from './data'
import { BadRequest } from './params'

const DAY_MS = 86_400_000
const FIRST_DAY = Date.UTC(2026, 0, 1) / DAY_MS

/** `date` → day number; refuses what the API refuses (format, before 2026-01-01, under 3 days old). */
export function analyticsDay(raw: string | null, now = Date.now()): number {
  if (raw === null) throw new BadRequest('date: Field required')
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw)
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN
  if (!m || new Date(ms).toISOString().slice(0, 10) !== raw) throw new BadRequest('date: Input should be a valid date in YYYY-MM-DD format')
  const day = ms / DAY_MS
  if (day < FIRST_DAY) throw new BadRequest('date: Data is not available before 2026-01-01')
  const latest = Math.floor(now / DAY_MS) - 3
  if (day > latest) {
    const latestDate = new Date(latest * DAY_MS).toISOString().slice(0, 10)
    throw new BadRequest(`date: Data is available with a 3-day lag; the latest available day is ${latestDate}`)
  }
  return day
}

function encodeCursor(day: number, offset: number): string {
  return `page_${Buffer.from(`${day}#${offset}`).toString('base64')}`
}

function decodeCursor(day: number, page: string): number {
  const m = page.startsWith('page_') ? /^(\d+)#(\d+)$/.exec(Buffer.from(page.slice(5), 'base64').toString('utf8')) : null
  if (!m || Number(m[1]) !== day) throw new BadRequest('page: Invalid page token')
  return Number(m[2])
}

export class AnalyticsUsers {
  private readonly sorted = new Map<number, number[]>()
  constructor(private readonly world: ClaudeWorld) {}

  /** Member indexes joined by the end of `day`, in email order (cached per day). */
  private members(day: number): number[] {
    let list = this.sorted.get(day)
    if (!list) {
      const joined = this.world.joinedBefore((day + 1) * DAY_MS * 1000)
      const emails = Array.from({ length: joined }, (_, i) => this.world.user(i).email)
      list = emails.map((_, i) => i).sort((a, b) => (emails[a] < emails[b] ? -1 : emails[a] > emails[b] ? 1 : 0))
      if (this.sorted.size > 50) this.sorted.clear()
      this.sorted.set(day, list)
    }
    return list
  }

  page(day: number, page: string | null, limit: number): { data: unknown[]; next_page: string | null } {
    const members = this.members(day)
    const offset = page === null ? 0 : decodeCursor(day, page)
    const data = members.slice(offset, offset + limit).map((index) => this.row(day, index))
    return { data, next_page: offset + limit < members.length ? encodeCursor(day, offset + limit) : null }
  }

  /** Seeded per (day, user): a third of the members are quiet (all zeros) on any day. */
  private row(day: number, index: number): Record<string, unknown> {
    const rand = mulberry32(hash32(this.world.options.seed ^ Math.imul(day, 0x2545f491), index))
    const quiet = hash32(this.world.options.seed ^ 0x414e4c59, index * 31 + day) % 3 === 0
    const n = (hi: number): number => (quiet ? 0 : Math.floor(rand() * (hi + 1)))
    const tool = (hi: number) => ({ accepted_count: n(hi), rejected_count: n(Math.ceil(hi / 6)) })
    const office = () => ({
      connectors_used_count: n(2),
      distinct_connectors_used_count: n(1),
      distinct_session_count: n(1),
      distinct_skills_used_count: n(1),
      message_count: n(3),
      skills_used_count: n(2),
    })
    const user = this.world.user(index)
    return {
      chat_metrics: {
        connectors_used_count: n(4),
        distinct_artifacts_created_count: n(2),
        distinct_conversation_count: n(6),
        distinct_files_uploaded_count: n(3),
        distinct_projects_created_count: n(1),
        distinct_projects_used_count: n(2),
        distinct_shared_artifacts_viewed_count: n(2),
        distinct_skills_used_count: n(2),
        // At least one message on an active day, so "active" is never an all-zero row.
        message_count: quiet ? 0 : 1 + n(40),
        shared_conversations_viewed_count: n(2),
        thinking_message_count: n(10),
      },
      claude_code_metrics: {
        core_metrics: {
          commit_count: n(6),
          distinct_session_count: n(8),
          lines_of_code: { added_count: n(900), removed_count: n(300) },
          pull_request_count: n(2),
        },
        tool_actions: { edit_tool: tool(30), multi_edit_tool: tool(12), notebook_edit_tool: tool(3), write_tool: tool(10) },
      },
      cowork_metrics: {
        action_count: n(20),
        connectors_used_count: n(4),
        dispatch_turn_count: n(3),
        distinct_connectors_used_count: n(2),
        distinct_session_count: n(3),
        distinct_skills_used_count: n(2),
        message_count: n(15),
        skills_used_count: n(4),
      },
      design_metrics: {
        distinct_projects_created_count: n(1),
        distinct_projects_used_count: n(1),
        distinct_session_count: n(2),
        message_count: n(8),
      },
      office_metrics: { excel: office(), outlook: office(), powerpoint: office(), word: office() },
      web_search_count: n(10),
      user: { id: user.id, email_address: user.email },
    }
  }
}
