/**
 * `POST /teams/daily-usage-data`. Two documented forms:
 * - without `page`/`pageSize`: rows only for members active that day, and no `pagination`;
 * - with them: a row per member per day (inactive ones zeroed), `pageSize` members a page, plus
 *   `pagination`.
 * Days are UTC days from the one holding `startDate` through the one holding `endDate`; days
 * after today have no data yet, so they have no rows.
 */
import type { SimHandler } from '../../../src/sandbox/simulator-kit'
import type { CursorShape, Team } from './team'
import { DAY_MS, isActive, usageRow, type UsageRow } from './usage-rows'
import { CursorError, jsonObjectBody, jsonText, positiveInt } from './vendor'

export const MAX_RANGE_MS = 30 * DAY_MS
export const DEFAULT_USAGE_PAGE_SIZE = 100

function epochMs(body: Record<string, unknown>, field: string): number {
  const value = body[field]
  if (value === undefined || value === null) throw new CursorError(400, `${field} is required (epoch milliseconds)`)
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new CursorError(400, `${field} must be a number of epoch milliseconds`)
  }
  return Math.floor(value)
}

/** UTC midnights (ms) of the days the report covers. */
function reportDays(startDate: number, endDate: number, now = Date.now()): number[] {
  const last = Math.min(Math.floor(endDate / DAY_MS), Math.floor(now / DAY_MS))
  const days: number[] = []
  for (let d = Math.floor(startDate / DAY_MS); d <= last; d++) days.push(d * DAY_MS)
  return days
}

/** Every active row of the team, as JSON text built in chunks (the team may be huge). */
function activeRowsText(team: Team, days: number[], period: object, ids: CursorShape['ids']): string {
  const chunks: string[] = []
  let parts: string[] = []
  for (let i = 0; i < team.size; i++) {
    for (const date of days) if (isActive(team, i, date)) parts.push(JSON.stringify(olderRow(usageRow(team, i, date), ids)))
    if (parts.length >= 10_000) {
      chunks.push(parts.join(','))
      parts = []
    }
  }
  if (parts.length) chunks.push(parts.join(','))
  return `{"data":[${chunks.join(',')}],"period":${JSON.stringify(period)}}`
}

/** Older unpaginated rows (variant `ids: 'string'`) carry no `userId`, only the email. */
function olderRow(row: UsageRow, ids: CursorShape['ids']): Partial<UsageRow> {
  if (ids !== 'string') return row
  const { userId: _omitted, ...rest } = row
  return rest
}

export function dailyUsageHandler(team: Team, ids: CursorShape['ids'] = 'numeric'): SimHandler {
  return (req) => {
    const body = jsonObjectBody(req)
    const startDate = epochMs(body, 'startDate')
    const endDate = epochMs(body, 'endDate')
    if (endDate < startDate) throw new CursorError(400, 'startDate must be before endDate')
    if (endDate - startDate > MAX_RANGE_MS) throw new CursorError(400, 'Date range cannot exceed 30 days')
    const days = reportDays(startDate, endDate)
    const period = { startDate, endDate }

    const paginated = (body.page !== undefined && body.page !== null) || (body.pageSize !== undefined && body.pageSize !== null)
    if (!paginated) return jsonText(activeRowsText(team, days, period, ids))

    const page = positiveInt(body, 'page', 1)
    const pageSize = positiveInt(body, 'pageSize', DEFAULT_USAGE_PAGE_SIZE)
    const totalPages = Math.ceil(team.size / pageSize)
    let hasNextPage = page < totalPages
    let servedPage = page
    let users = pageSize
    // Semantic faults: a page bigger than asked, the previous page again, or an empty page
    // that still claims more follow.
    const oversized = req.fault('oversized-page')
    if (oversized) users = pageSize * (oversized.factor ?? 2)
    if (req.fault('repeat-cursor')) servedPage = Math.max(1, page - 1)
    const emptyHasMore = req.fault('empty-has-more')
    if (emptyHasMore) hasNextPage = true

    const data: UsageRow[] = []
    if (!emptyHasMore) {
      const start = (servedPage - 1) * pageSize
      const end = Math.min(team.size, start + users)
      for (let i = start; i < end; i++) for (const date of days) data.push(usageRow(team, i, date))
    }
    return {
      status: 200,
      body: {
        data,
        period,
        pagination: { page, pageSize, totalUsers: team.size, totalPages, hasNextPage, hasPreviousPage: page > 1 },
      },
    }
  }
}
