/**
 * The Codex Analytics API's usage endpoint (api.chatgpt.com/v1/analytics/codex), as the
 * governance guide documents it: per-user rows of threads, turns, credits, per-client usage and
 * text input / cached input / output tokens in daily (`group_by=day`, the default) or weekly
 * UTC buckets, workspace-wide rows with `group=workspace`; `start_time` inclusive and `end_time`
 * exclusive in unix seconds, at most 90 days back; time-ordered `page` objects with `has_more`
 * and `next_page`, continued with `page`, sized with `limit`.
 * https://developers.openai.com/codex/enterprise/governance#analytics-api
 *
 * The people are the organization's members (same ids and emails). Use shows up
 * CODEX_USAGE_LAG_S after it happens (the dashboard documents up to 12 hours), so today's bucket
 * grows between two reads: the restatement clients must expect. Field names, the page-size
 * bounds and the window without `start_time` (the last 7 days) are the simulator's choice where
 * the public guide names none (see wire-schemas.ts).
 */
import { hash32 } from '../../../src/sandbox/simulator-kit'
import type { OpenAIWorld } from './data'
import { BadRequest, parseLimit } from './params'

const DAY = 86_400
const WEEK = 7 * DAY
/** 1970-01-01 was a Thursday: weeks start on the Monday four days later. */
const FIRST_MONDAY = 4 * DAY
/** Seconds before use is reported (the simulator's choice, within the documented 12 hours). */
export const CODEX_USAGE_LAG_S = 3600
export const CODEX_LOOKBACK_DAYS = 90
/** Rows per page: [default, max] (the simulator's choice: the guide gives no figure). */
const LIMITS: [number, number] = [100, 500]
export const CODEX_CLIENTS = ['CODEX_CLI', 'CODEX_IDE_EXTENSION', 'CODEX_CLOUD', 'CODEX_DESKTOP_APP', 'CODEX_CODE_REVIEW']

/** One member's use of one client on one day, at one moment of it. */
interface ClientDay {
  user: number
  client: string
  at: number
  threads: number
  turns: number
  /** Hundredths of a credit. */
  centicredits: number
  input: number
  cached: number
  output: number
}

/** The Codex use of the UTC day starting at `day`: about 55% of members, on one to three clients. */
function clientDaysOf(world: OpenAIWorld, day: number): ClientDay[] {
  const dayIndex = Math.floor(day / DAY)
  const out: ClientDay[] = []
  for (let user = 0; user < world.userCount; user++) {
    const h = hash32(world.options.seed ^ 0x434f4458, dayIndex * 7919 + user)
    if (h % 100 >= 55) continue
    const clients = 1 + ((h >>> 3) % 3)
    for (let c = 0; c < clients; c++) {
      const r = hash32(h, c)
      const threads = 1 + (r % 6)
      const turns = threads * (1 + ((r >>> 4) % 8))
      const input = turns * (3000 + ((r >>> 7) % 20_000))
      out.push({
        user,
        client: CODEX_CLIENTS[(user + dayIndex + c) % CODEX_CLIENTS.length],
        at: day + ((r >>> 9) % DAY),
        threads,
        turns,
        centicredits: turns * (5 + ((r >>> 12) % 40)),
        input,
        cached: Math.floor((input * ((r >>> 18) % 70)) / 100),
        output: Math.floor(input / (4 + ((r >>> 25) % 4))),
      })
    }
  }
  return out
}

function unixParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name)
  if (raw === null) return undefined
  if (!/^\d+$/.test(raw.trim()))
    throw new BadRequest(`Invalid '${name}': expected a unix timestamp in seconds, but got '${raw}' instead.`, name, 'invalid_type')
  return Number(raw)
}

function oneOf(query: URLSearchParams, name: string, allowed: string[], fallback: string | null): string | null {
  const raw = query.get(name)
  if (raw === null) return fallback
  if (!allowed.includes(raw))
    throw new BadRequest(
      `Invalid '${name}': expected one of ${allowed.map((a) => `'${a}'`).join(', ')}, but got '${raw}' instead.`,
      name,
      'invalid_value',
    )
  return raw
}

/** The cursor: the offset of the next row in the answer to the same window, opaque to clients. */
const encodePage = (offset: number, start: number, end: number) => `cxp_${Buffer.from(`${offset}:${start}:${end}`).toString('base64url')}`
function decodePage(page: string | null, start: number, end: number): number {
  if (page === null) return 0
  const m = /^(\d+):(\d+):(\d+)$/.exec(page.startsWith('cxp_') ? Buffer.from(page.slice(4), 'base64url').toString() : '')
  if (!m || Number(m[2]) !== start || Number(m[3]) !== end)
    throw new BadRequest(`Invalid 'page': '${page}' is not a page of this report window.`, 'page', 'invalid_value')
  return Number(m[1])
}

const credits = (centi: number) => centi / 100

/** `now` in unix seconds. */
export function codexUsagePage(world: OpenAIWorld, q: URLSearchParams, now: number) {
  const width = oneOf(q, 'group_by', ['day', 'week'], 'day') === 'week' ? WEEK : DAY
  const perUser = oneOf(q, 'group', ['workspace'], null) === null
  const end = unixParam(q, 'end_time') ?? Math.floor(now)
  const start = unixParam(q, 'start_time') ?? end - 7 * DAY
  if (end <= start) throw new BadRequest("Invalid 'end_time': it must be after 'start_time'.", 'end_time', 'invalid_value')
  if (start < now - CODEX_LOOKBACK_DAYS * DAY)
    throw new BadRequest(`Invalid 'start_time': requests can look back at most ${CODEX_LOOKBACK_DAYS} days.`, 'start_time', 'invalid_value')
  const limit = parseLimit(q, ...LIMITS)
  const offset = decodePage(q.get('page'), start, end)
  const until = Math.min(end, now - CODEX_USAGE_LAG_S)
  const align = (t: number) => (width === DAY ? Math.floor(t / DAY) * DAY : Math.floor((t - FIRST_MONDAY) / WEEK) * WEEK + FIRST_MONDAY)
  const rows: Array<Record<string, unknown>> = []
  for (let bucket = align(start); bucket < end; bucket += width) {
    const uses: ClientDay[] = []
    for (let day = bucket; day < bucket + width; day += DAY)
      uses.push(...clientDaysOf(world, day).filter((u) => u.at >= Math.max(bucket, start) && u.at < Math.min(until, bucket + width)))
    const groups = new Map<number, ClientDay[]>()
    for (const u of uses) {
      const key = perUser ? u.user : -1
      groups.set(key, [...(groups.get(key) ?? []), u])
    }
    for (const [user, group] of [...groups].sort(([a], [b]) => a - b)) rows.push(row(world, bucket, bucket + width, user, group))
  }
  const data = rows.slice(offset, offset + limit)
  const more = offset + limit < rows.length
  return { object: 'page' as const, data, has_more: more, next_page: more ? encodePage(offset + limit, start, end) : null }
}

const sum = (uses: ClientDay[], f: (u: ClientDay) => number) => uses.reduce((n, u) => n + f(u), 0)

function row(world: OpenAIWorld, start: number, end: number, user: number, uses: ClientDay[]) {
  const byClient = new Map<string, ClientDay[]>()
  for (const u of uses) byClient.set(u.client, [...(byClient.get(u.client) ?? []), u])
  const person = user < 0 ? null : world.user(user)
  return {
    start_time: start,
    end_time: end,
    ...(person ? { user: { id: person.id, email: person.email, name: person.name } } : {}),
    threads: sum(uses, (u) => u.threads),
    turns: sum(uses, (u) => u.turns),
    credits: credits(sum(uses, (u) => u.centicredits)),
    tokens: { text_input: sum(uses, (u) => u.input), cached_input: sum(uses, (u) => u.cached), output: sum(uses, (u) => u.output) },
    clients: [...byClient].map(([client, list]) => ({
      client,
      threads: sum(list, (u) => u.threads),
      turns: sum(list, (u) => u.turns),
      credits: credits(sum(list, (u) => u.centicredits)),
    })),
  }
}
