/**
 * Copilot usage metrics, per user and day: `GET /orgs/{org}/copilot/metrics/reports/users-1-day
 * ?day=YYYY-MM-DD` answers `{download_links, report_day}`, signed links to NDJSON files (one
 * record per user active that day) that are fetched without the GitHub token.
 * https://docs.github.com/en/rest/copilot/copilot-usage-metrics
 * https://docs.github.com/en/copilot/reference/copilot-usage-metrics/example-schema
 *
 * Reports exist from 2025-10-10, for a year back, for days that are over (a day is processed
 * after it ends: today's report is a 404 until tomorrow). Users are the seat holders: those who
 * never used Copilot never appear, nobody appears before their seat was granted. Links expire
 * after `LINK_TTL_MS` (403, as a storage service answers) and refuse a request carrying an
 * Authorization header (400); files hold `USERS_PER_FILE` users.
 */
import { createHmac } from 'node:crypto'
import { hash32, mulberry32, type SimHandler } from '../../../src/sandbox/simulator-kit'
import type { CopilotOrg } from './org'
import { requireOrg } from './seats'
import { GitHubError } from './vendor'

const DAY_MS = 86_400_000
export const FIRST_REPORT_DAY = '2025-10-10'
export const LINK_TTL_MS = 10 * 60_000
export const USERS_PER_FILE = 50
export const REPORT_FILES_PATH = '/__copilot-reports'

const IDES = ['vscode', 'jetbrains', 'visualstudio', 'neovim']
const FEATURES = ['code_completion', 'chat_panel_ask_mode', 'chat_panel_agent_mode', 'agent_edit']
const MODELS = ['gpt-4.1', 'claude-sonnet-4.5', 'gpt-5', 'gemini-2.5-pro']

/** One user's day as the per-user report writes it, or null when the user was not active. */
export function userDay(org: CopilotOrg, index: number, day: number): Record<string, unknown> | null {
  if (hash32(org.seed ^ 0xac7, index) % 6 === 0 || org.grantedAt(index) >= day + DAY_MS) return null
  const next = mulberry32(hash32(org.seed ^ Math.imul(day / DAY_MS, 0x7feb352d), index ^ 0xc0))
  const weekday = new Date(day).getUTCDay() % 6 !== 0
  if (next() > (weekday ? 0.75 : 0.15)) return null
  const int = (max: number) => Math.floor(next() * (max + 1))
  const generated = 5 + int(120)
  const accepted = Math.floor(generated * (0.2 + 0.5 * next()))
  const suggested = generated * (2 + int(6))
  const added = Math.floor(suggested * (0.3 + 0.5 * next()))
  const deleted = Math.floor(added * 0.3 * next())
  const interactions = int(40)
  const usedAgent = next() < 0.4
  const ide = IDES[int(IDES.length - 1)]
  const feature = FEATURES[usedAgent ? 2 + int(1) : int(1)]
  const counts = {
    code_acceptance_activity_count: accepted,
    code_generation_activity_count: generated,
    loc_added_sum: added,
    loc_deleted_sum: deleted,
    loc_suggested_to_add_sum: suggested,
    loc_suggested_to_delete_sum: Math.floor(deleted * 1.5),
  }
  const date = new Date(day).toISOString().slice(0, 10)
  return {
    user_id: org.accountId(index),
    user_login: org.loginOf(index),
    day: date,
    organization_id: String(org.id),
    enterprise_id: null,
    user_initiated_interaction_count: interactions,
    ...counts,
    used_agent: usedAgent,
    used_chat: interactions > 0,
    totals_by_ide: [
      {
        ide,
        ...counts,
        user_initiated_interaction_count: interactions,
        last_known_ide_version: {
          ide_version: `1.${90 + int(9)}.0`,
          sampled_at: `${date}T${String(8 + int(10)).padStart(2, '0')}:00:00.000Z`,
        },
      },
    ],
    totals_by_feature: [{ feature, ...counts, user_initiated_interaction_count: interactions }],
    totals_by_model_feature: [
      { model: MODELS[int(MODELS.length - 1)], feature, ...counts, user_initiated_interaction_count: interactions },
    ],
  }
}

/** The NDJSON file `part` of a day: users [part·USERS_PER_FILE, …) of those active. */
function reportFile(org: CopilotOrg, day: number, part: number): string {
  const lines: string[] = []
  let seen = 0
  for (let i = 0; i < org.size; i++) {
    const record = userDay(org, i, day)
    if (!record) continue
    if (seen >= part * USERS_PER_FILE && seen < (part + 1) * USERS_PER_FILE) lines.push(JSON.stringify(record))
    seen++
  }
  return lines.length ? `${lines.join('\n')}\n` : ''
}

function activeCount(org: CopilotOrg, day: number): number {
  let n = 0
  for (let i = 0; i < org.size; i++) if (userDay(org, i, day)) n++
  return n
}

/** Signed links: the signature covers the file and the expiry, so neither can be changed. */
class LinkSigner {
  private readonly key: string
  constructor(seed: number) {
    this.key = `copilot-reports-${seed}`
  }
  sign(file: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${file}|${expires}`).digest('hex').slice(0, 32)
  }
}

export function usageReportHandlers(org: CopilotOrg): { report: SimHandler; file: SimHandler } {
  const signer = new LinkSigner(org.seed)
  const report: SimHandler = (req) => {
    requireOrg(org, req)
    const text = req.query.get('day') ?? ''
    const day = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Number.NaN
    if (!Number.isFinite(day) || new Date(day).toISOString().slice(0, 10) !== text) {
      throw new GitHubError(422, 'Invalid request.\n\n"day" must be a date in the format YYYY-MM-DD.')
    }
    const today = Math.floor(Date.now() / DAY_MS) * DAY_MS
    if (day >= today || text < FIRST_REPORT_DAY || day < today - 365 * DAY_MS) throw new GitHubError(404, 'Not Found')
    const expires = Date.now() + LINK_TTL_MS
    const files = Math.max(1, Math.ceil(activeCount(org, day) / USERS_PER_FILE))
    const origin = `http://${req.headers.host}`
    const download_links = Array.from({ length: files }, (_, part) => {
      const file = `${text}-${part}.ndjson`
      return `${origin}${REPORT_FILES_PATH}/${file}?se=${expires}&sig=${signer.sign(file, expires)}`
    })
    return { status: 200, body: { download_links, report_day: text } }
  }
  const file: SimHandler = (req) => {
    const name = req.params.file
    const expires = Number(req.query.get('se'))
    const m = /^(\d{4}-\d{2}-\d{2})-(\d+)\.ndjson$/.exec(name)
    // The signature is the credential: a storage service refuses a second one (the GitHub token).
    if (req.headers.authorization !== undefined)
      return { status: 400, body: { message: 'Authorization header not allowed on a signed link' } }
    if (!m || req.query.get('sig') !== signer.sign(name, expires)) return { status: 403, body: { message: 'Signature did not match' } }
    if (!(expires > Date.now())) return { status: 403, body: { message: 'Signed link expired' } }
    return {
      status: 200,
      body: reportFile(org, Date.parse(`${m[1]}T00:00:00Z`), Number(m[2])),
      headers: { 'content-type': 'application/x-ndjson' },
    }
  }
  return { report, file }
}
