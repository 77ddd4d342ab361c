/**
 * `POST /teams/filtered-usage-events`: one event per model request, newest first, paged with
 * `page` (1-based) and `pageSize` (default 10), filtered by `startDate`/`endDate` (epoch ms),
 * `email` or `userId`. https://cursor.com/docs/account/teams/admin-api#get-usage-events-data
 *
 * The events of a member's day are a pure function of (seed, member, day) and agree with that
 * day's daily-usage row: members inactive that day have none, and the models are the ones the
 * row reports. Cursor aggregates hourly, so events of the last hour are not served yet: a recent
 * bucket grows between two reads (the restatement clients must expect).
 */
import { hash32, mulberry32, type SimHandler } from '../../../src/sandbox/simulator-kit'
import { MAX_RANGE_MS } from './daily-usage'
import type { Team } from './team'
import { DAY_MS, isActive, usageRow } from './usage-rows'
import { CursorError, jsonObjectBody, positiveInt } from './vendor'

export const DEFAULT_EVENTS_PAGE_SIZE = 10
/** Events younger than this are still being aggregated. */
export const EVENTS_LAG_MS = 3_600_000

/** US cents per million tokens: input, output, cache write, cache read. */
const PRICES: Record<string, [number, number, number, number]> = {
  'claude-4-sonnet': [300, 1500, 375, 30],
  'claude-4.5-sonnet-thinking': [300, 1500, 375, 30],
  'claude-4-opus': [1500, 7500, 1875, 150],
  'gpt-5': [125, 1000, 0, 12.5],
  'gemini-2.5-pro': [125, 1000, 0, 31],
  auto: [125, 600, 0, 25],
}
const TOKEN_FEE_CENTS_PER_MILLION = 25

export interface TokenUsage {
  inputTokens: number
  outputTokens: number
  cacheWriteTokens: number
  cacheReadTokens: number
  totalCents: number
  discountPercentOff?: number
}

/** Field order follows the documented example event. */
export interface UsageEvent {
  timestamp: string
  userEmail: string
  model: string
  kind: 'Usage-based' | 'Included in Business'
  maxMode: boolean
  requestsCosts: number
  isTokenBasedCall: boolean
  isChargeable: boolean
  isHeadless: boolean
  tokenUsage?: TokenUsage
  chargedCents: number
  cursorTokenFee?: number
  isFreeBugbot: boolean
}

/** Cents with at most five decimals, as the docs' examples write them. */
const cents = (n: number): number => Math.round(n * 100_000) / 100_000

/** The events of member `index` on the UTC day starting at `day`, oldest first. */
export function dayEvents(team: Team, index: number, day: number): UsageEvent[] {
  if (!isActive(team, index, day)) return []
  const row = usageRow(team, index, day)
  const next = mulberry32(hash32(team.seed ^ Math.imul(day / DAY_MS, 0x2c1b3c6d), index ^ 0xe7e7))
  const count = 1 + Math.floor(next() * 6)
  // Spread over working hours (08:00-20:00 UTC), strictly increasing within the day.
  const step = Math.floor((12 * 3_600_000) / count)
  const events: UsageEvent[] = []
  for (let k = 0; k < count; k++) {
    const at = day + 8 * 3_600_000 + k * step + Math.floor(next() * (step - 1))
    const model = next() < 0.7 && row.mostUsedModel ? row.mostUsedModel : Object.keys(PRICES)[Math.floor(next() * 6)]
    const usageBased = row.usageBasedReqs > 0 && next() < 0.5
    // Field order follows the documented example.
    const head = { timestamp: String(at), userEmail: row.email, model, kind: usageBased ? 'Usage-based' : 'Included in Business' } as const
    const flags = { maxMode: next() < 0.2, isChargeable: usageBased, isHeadless: next() < 0.1 }
    if (next() < 0.25) {
      // A request-priced call: no token usage, charged per request unit.
      const units = [0.5, 1, 1.4, 2][Math.floor(next() * 4)]
      const { maxMode, ...rest } = flags
      events.push({
        ...head,
        maxMode,
        requestsCosts: units,
        isTokenBasedCall: false,
        ...rest,
        chargedCents: usageBased ? cents(units * 4) : 0,
        isFreeBugbot: false,
      })
      continue
    }
    const [pin, pout, pwrite, pread] = PRICES[model] ?? PRICES.auto
    const input = 100 + Math.floor(next() * 20_000)
    const output = 50 + Math.floor(next() * 4_000)
    const write = next() < 0.6 ? Math.floor(next() * 12_000) : 0
    const read = next() < 0.7 ? Math.floor(next() * 60_000) : 0
    const total = cents((input * pin + output * pout + write * pwrite + read * pread) / 1_000_000)
    const discount = next() < 0.1 ? 10 : undefined
    const fee = cents(((input + output + write + read) * TOKEN_FEE_CENTS_PER_MILLION) / 1_000_000)
    const modelCents = discount ? cents(total * (1 - discount / 100)) : total
    const { maxMode, ...rest } = flags
    events.push({
      ...head,
      maxMode,
      requestsCosts: Math.max(0.5, Math.round(total / 4) / 2),
      isTokenBasedCall: true,
      ...rest,
      tokenUsage: {
        inputTokens: input,
        outputTokens: output,
        cacheWriteTokens: write,
        cacheReadTokens: read,
        totalCents: total,
        ...(discount ? { discountPercentOff: discount } : {}),
      },
      chargedCents: usageBased ? cents(modelCents + fee) : 0,
      cursorTokenFee: fee,
      isFreeBugbot: false,
    })
  }
  return events
}

function optionalMs(body: Record<string, unknown>, field: string): number | undefined {
  const value = body[field]
  if (value === undefined || value === null) return undefined
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) throw new CursorError(400, `${field} must be a number of epoch milliseconds`)
  return Math.floor(n)
}

/** The members a request is about: one when filtered by email or userId, else the whole team. */
function selectedMembers(team: Team, body: Record<string, unknown>): number[] {
  const email = body.email
  const userId = body.userId
  if (email !== undefined && email !== null) {
    if (typeof email !== 'string') throw new CursorError(400, 'email must be a string')
    const wanted = email.trim().toLowerCase()
    for (let i = 0; i < team.size; i++) if (team.member(i).email.toLowerCase() === wanted) return [i]
    return []
  }
  if (userId !== undefined && userId !== null) {
    if (typeof userId !== 'number' || !Number.isInteger(userId)) throw new CursorError(400, 'userId must be a number')
    const index = team.indexOf(userId)
    return index < 0 ? [] : [index]
  }
  return Array.from({ length: team.size }, (_, i) => i)
}

export function usageEventsHandler(team: Team): SimHandler {
  return (req) => {
    const body = jsonObjectBody(req)
    const now = Date.now()
    // The docs give no defaults for the range; the last 30 days is what the dashboard shows.
    const endDate = optionalMs(body, 'endDate') ?? now
    const startDate = optionalMs(body, 'startDate') ?? endDate - MAX_RANGE_MS
    if (endDate < startDate) throw new CursorError(400, 'startDate must be before endDate')
    if (endDate - startDate > MAX_RANGE_MS) throw new CursorError(400, 'Date range cannot exceed 30 days')
    const page = positiveInt(body, 'page', 1)
    const pageSize = positiveInt(body, 'pageSize', DEFAULT_EVENTS_PAGE_SIZE)

    const visibleUntil = Math.min(endDate, now - EVENTS_LAG_MS)
    const events: UsageEvent[] = []
    const lastDay = Math.floor(visibleUntil / DAY_MS) * DAY_MS
    for (const index of selectedMembers(team, body)) {
      for (let day = Math.floor(startDate / DAY_MS) * DAY_MS; day <= lastDay; day += DAY_MS) {
        for (const e of dayEvents(team, index, day)) {
          const at = Number(e.timestamp)
          if (at >= startDate && at <= visibleUntil) events.push(e)
        }
      }
    }
    // Newest first; ties (never within one member's day) broken by email for a stable order.
    events.sort((a, b) => Number(b.timestamp) - Number(a.timestamp) || a.userEmail.localeCompare(b.userEmail))

    const total = events.length
    const numPages = Math.ceil(total / pageSize)
    let servedPage = page
    let size = pageSize
    let hasNextPage = page < numPages
    const oversized = req.fault('oversized-page')
    if (oversized) size = pageSize * (oversized.factor ?? 2)
    if (req.fault('repeat-cursor')) servedPage = Math.max(1, page - 1)
    const emptyHasMore = req.fault('empty-has-more')
    if (emptyHasMore) hasNextPage = true
    const start = (servedPage - 1) * pageSize
    const usageEvents = emptyHasMore ? [] : events.slice(start, start + size)
    return {
      status: 200,
      body: {
        totalUsageEventsCount: total,
        pagination: { numPages, currentPage: page, pageSize, hasNextPage, hasPreviousPage: page > 1 },
        usageEvents,
        period: { startDate, endDate },
      },
    }
  }
}
