/**
 * `POST /teams/spend`: members' spend in the current cycle, page by page (1-based). The page
 * carries no `hasNextPage`; clients loop until `page >= totalPages`.
 */
import type { SimHandler } from '../../../src/sandbox/simulator-kit'
import { memberSpend, SpendOrders, subscriptionCycleStart, type MemberSpend, type SpendSortBy } from './spend-data'
import type { CursorShape, Team } from './team'
import { CursorError, jsonObjectBody, positiveInt } from './vendor'

export const DEFAULT_SPEND_PAGE_SIZE = 100

const SORT_BY = new Set<string>(['amount', 'date', 'user'])
const SORT_DIRECTION = new Set<string>(['asc', 'desc'])

function enumField(body: Record<string, unknown>, field: string, allowed: Set<string>, fallback: string): string {
  const value = body[field]
  if (value === undefined || value === null) return fallback
  if (typeof value !== 'string' || !allowed.has(value)) {
    throw new CursorError(400, `${field} must be one of: ${[...allowed].join(', ')}`)
  }
  return value
}

export function spendHandler(team: Team, ids: CursorShape['ids'] = 'numeric'): SimHandler {
  const orders = new SpendOrders(team)
  return (req) => {
    const body = jsonObjectBody(req)
    const sortBy = enumField(body, 'sortBy', SORT_BY, 'date') as SpendSortBy
    const direction = enumField(body, 'sortDirection', SORT_DIRECTION, 'desc')
    const page = positiveInt(body, 'page', 1)
    const pageSize = positiveInt(body, 'pageSize', DEFAULT_SPEND_PAGE_SIZE)
    const term = body.searchTerm
    if (term !== undefined && term !== null && typeof term !== 'string') throw new CursorError(400, 'searchTerm must be a string')

    const ascending = orders.ascending(sortBy)
    // Read the cached ascending order backwards for `desc` rather than copying it per request.
    const at = direction === 'desc' ? (k: number) => ascending[ascending.length - 1 - k] : (k: number) => ascending[k]
    let order: { length: number; at: (k: number) => number } = { length: ascending.length, at }
    if (typeof term === 'string' && term.trim() !== '') {
      // Cursor matches the term against names and emails, case-insensitively.
      const needle = term.trim().toLowerCase()
      const matches: number[] = []
      for (let k = 0; k < ascending.length; k++) {
        const m = team.member(at(k))
        if (m.name.toLowerCase().includes(needle) || m.email.includes(needle)) matches.push(m.index)
      }
      order = { length: matches.length, at: (k) => matches[k] }
    }

    const total = order.length
    let totalPages = Math.ceil(total / pageSize)
    let servedPage = page
    let size = pageSize
    // Semantic faults, each a way a real paginated report has been seen to misbehave.
    const oversized = req.fault('oversized-page')
    if (oversized) size = pageSize * (oversized.factor ?? 2)
    if (req.fault('repeat-cursor')) servedPage = Math.max(1, page - 1)
    const emptyHasMore = req.fault('empty-has-more')
    if (emptyHasMore) totalPages = Math.max(totalPages, page + 1)

    const rows: MemberSpend[] = []
    if (!emptyHasMore) {
      const start = (servedPage - 1) * pageSize
      const end = Math.min(total, start + size)
      for (let k = start; k < end; k++) rows.push(memberSpend(team, team.member(order.at(k)), ids))
    }
    return {
      status: 200,
      body: { teamMemberSpend: rows, subscriptionCycleStart: subscriptionCycleStart(team.seed), totalMembers: total, totalPages },
    }
  }
}
