/**
 * `GET /organizations/{org_id}/members` and `…/members/{member_id}`.
 *
 * List paging follows the current docs: `limit` + `cursor`, the next cursor in
 * `pagination.next`, present only when `limit` was passed and members remain (on the last page
 * `pagination` is left out). The docs do not say which a real last page does, so variant
 * `lastPageNext: 'keep'` hands out a `next` on every page, the last included (the page after it
 * is empty, with `next` again). Without `limit` every member comes back at once, as the 2025-10
 * spec shows; the `pagination: 'none'` variant always answers that way.
 */
import type { SimHandler, SimRequest } from '../../../src/sandbox/simulator-kit'
import { decodeCursor, encodeCursor, type MembersCursor, type SortBy, type SortOrder } from './cursor'
import { memberIndex } from './ids'
import { MemberOrders } from './member-orders'
import type { NeonOrg } from './org'
import { jsonText, NeonError } from './vendor'

/** Neon documents no maximum; this one keeps a single request bounded. */
export const MAX_LIMIT = 1000

export function requireOrg(org: NeonOrg, req: SimRequest): void {
  if (req.params.org_id !== org.orgId) throw new NeonError(404, 'not found')
}

function sortParams(req: SimRequest): { sortBy?: SortBy; sortOrder?: SortOrder } {
  const sortBy = req.query.get('sort_by') ?? undefined
  const sortOrder = req.query.get('sort_order') ?? undefined
  if (sortBy !== undefined && sortBy !== 'joined_at' && sortBy !== 'email' && sortBy !== 'role') {
    throw new NeonError(400, 'sort_by must be one of: joined_at, email, role')
  }
  if (sortOrder !== undefined && sortOrder !== 'asc' && sortOrder !== 'desc') {
    throw new NeonError(400, 'sort_order must be one of: asc, desc')
  }
  return { sortBy, sortOrder }
}

function limitParam(req: SimRequest): number | undefined {
  const text = req.query.get('limit')
  if (text === null) return undefined
  const limit = Number(text)
  if (!/^\d+$/.test(text) || limit < 1 || limit > MAX_LIMIT) throw new NeonError(400, `limit must be an integer from 1 to ${MAX_LIMIT}`)
  return limit
}

/** `{"members":[...]` for members at positions [from, to) of the order, as JSON text. */
function membersText(org: NeonOrg, orders: MemberOrders, c: MembersCursor, from: number, to: number, tail: string): string {
  const parts: string[] = []
  for (let p = from; p < to; p++) parts.push(JSON.stringify(org.memberWithUser(orders.at(c.sortBy, c.sortOrder, p))))
  return `{"members":[${parts.join(',')}]${tail}}`
}

export function listMembersHandler(org: NeonOrg, unpaginated: boolean, keepNext = false): SimHandler {
  const orders = new MemberOrders(org)
  return (req) => {
    requireOrg(org, req)
    const params = sortParams(req)
    if (unpaginated) {
      const all = { offset: 0, sortBy: params.sortBy ?? 'joined_at', sortOrder: params.sortOrder ?? 'desc' } as const
      return jsonText(membersText(org, orders, all, 0, org.size, ''))
    }

    const limit = limitParam(req)
    const cursorText = req.query.get('cursor')
    const from = cursorText ? decodeCursor(cursorText) : undefined
    if (from && ((params.sortBy && params.sortBy !== from.sortBy) || (params.sortOrder && params.sortOrder !== from.sortOrder))) {
      throw new NeonError(400, 'cursor does not match sort_by/sort_order')
    }
    const at: MembersCursor = {
      offset: Math.min(from?.offset ?? 0, org.size),
      sortBy: from?.sortBy ?? params.sortBy ?? 'joined_at',
      sortOrder: from?.sortOrder ?? params.sortOrder ?? 'desc',
    }
    if (limit === undefined) return jsonText(membersText(org, orders, at, at.offset, org.size, ''))

    const nextText = (end: number) =>
      end < org.size || keepNext ? `,"pagination":${JSON.stringify({ next: encodeCursor({ ...at, offset: end }) })}` : ''

    // Semantic faults: an empty page that still points on (to the same place, in new text),
    // the cursor just used handed back again, or more members than `limit`.
    if (req.fault('empty-has-more')) {
      return jsonText(`{"members":[],"pagination":${JSON.stringify({ next: encodeCursor(at, true) })}}`)
    }
    if (req.fault('repeat-cursor')) {
      const end = Math.min(org.size, at.offset + limit)
      const same = cursorText ?? encodeCursor(at)
      return jsonText(membersText(org, orders, at, at.offset, end, `,"pagination":${JSON.stringify({ next: same })}`))
    }
    const oversized = req.fault('oversized-page')
    const size = oversized ? limit * (oversized.factor ?? 2) : limit
    const end = Math.min(org.size, at.offset + size)
    return jsonText(membersText(org, orders, at, at.offset, end, nextText(end)))
  }
}

export function getMemberHandler(org: NeonOrg): SimHandler {
  return (req) => {
    requireOrg(org, req)
    const index = memberIndex(org.seed, req.params.member_id.toLowerCase(), org.size)
    if (index < 0) throw new NeonError(404, 'not found')
    return { status: 200, body: org.member(index) }
  }
}
