/**
 * Limitly's `?page=&limit=` pagination (§5.3: page default 1, limit default 10, max 100). The
 * response carries only `count`, so a page that ends short is the client's stop signal; the
 * semantic faults bend exactly that contract.
 */
import type { SimRequest, SimResponse } from '../../../src/sandbox/simulator-kit'
import type { LimitlyShape } from './shape'

export const DEFAULT_LIMIT = 10
export const MAX_LIMIT = 100

export interface PageParams {
  page: number
  limit: number
}

function positiveInt(text: string | null): number | undefined {
  if (text === null || !/^\d+$/.test(text)) return undefined
  const n = Number(text)
  return n >= 1 ? n : undefined
}

/** The page/limit of a list request, or the 400 Limitly answers to a bad one. */
export function parsePage(req: SimRequest, shape: LimitlyShape): PageParams | SimResponse {
  const rawPage = req.query.get('page')
  const rawLimit = req.query.get('limit')
  const page = rawPage === null ? 1 : positiveInt(rawPage)
  if (page === undefined) return shape.validation('page', 'page must be a positive integer')
  const limit = rawLimit === null ? DEFAULT_LIMIT : positiveInt(rawLimit)
  if (limit === undefined || limit > MAX_LIMIT) {
    return shape.validation('limit', `limit must be an integer between 1 and ${MAX_LIMIT}`)
  }
  return { page, limit }
}

export function isPageParams(value: PageParams | SimResponse): value is PageParams {
  return typeof (value as PageParams).page === 'number' && typeof (value as PageParams).limit === 'number'
}

/**
 * The [from, to) slice of a `total`-row list to serve, after semantic faults:
 * - `repeat-cursor`: the page parameter is ignored, page 1 comes back every time;
 * - `oversized-page`: `limit × factor` rows (default ×2) instead of `limit`;
 * - `empty-has-more`: a non-final page comes back empty while `count` still says more exist
 *   (only asked on non-final pages, so a queued fault waits for a page it can hit).
 */
export function pageSlice(req: SimRequest, total: number, params: PageParams): { from: number; to: number } {
  const page = req.fault('repeat-cursor') ? 1 : params.page
  const oversized = req.fault('oversized-page')
  const size = oversized ? Math.ceil(params.limit * (oversized.factor ?? 2)) : params.limit
  const from = (page - 1) * params.limit
  const finalPage = from + params.limit >= total
  if (!finalPage && req.fault('empty-has-more')) return { from, to: from }
  return { from: Math.min(from, total), to: Math.min(total, from + size) }
}
