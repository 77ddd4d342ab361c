/**
 * The vendor pagination strategies (cursor, page, offset, link, none): what to add to a request
 * for a given vendor state, and what the next state is after a response.
 */
import { getPath } from '../lib/object-path'
import type { PaginationSpec } from './connector-types'
import { findLink, resolveLinkUnderBase } from './link-header'
import type { PreparedRequest } from './vendor-session'

/** Cursor text, page number, offset, next-page URL — or null for the first page. */
export type VendorState = string | number | null

export interface PageParams {
  query: Record<string, unknown>
  body: Record<string, unknown>
}

export function paginationParams(spec: PaginationSpec, state: VendorState, pageSize: number): PageParams {
  const params: PageParams = { query: {}, body: {} }
  if (spec.type === 'none') return params
  if (spec.type === 'link') {
    // Later pages are the link's URL as given: it already says which page, and how large.
    if (state === null && spec.limitParam) params.query[spec.limitParam] = pageSize
    return params
  }
  const target = spec.in === 'body' ? params.body : params.query
  if (spec.type === 'cursor') {
    if (spec.limitParam) target[spec.limitParam] = pageSize
    if (state !== null && state !== '') target[spec.cursorParam] = state
  } else if (spec.type === 'page') {
    target[spec.limitParam] = pageSize
    target[spec.pageParam] = state ?? spec.firstPage ?? 1
  } else {
    target[spec.limitParam] = pageSize
    target[spec.offsetParam] = state ?? 0
  }
  return params
}

interface NextPage {
  next: VendorState
  /** The vendor said there is more but gave no way to get it (a partial result). */
  strandedMore: boolean
}

/** What a response said besides its body: headers (for `link`), and where it came from. */
interface PageResponse {
  headers?: Record<string, string>
  /** The URL that was requested, against which a relative link resolves. */
  url?: string
  /** The session's base URL: a link must stay under it. */
  baseUrl?: string
}

export function nextVendorState(
  spec: PaginationSpec,
  state: VendorState,
  body: unknown,
  rawCount: number,
  pageSize: number,
  response: PageResponse = {},
): NextPage {
  switch (spec.type) {
    case 'none':
      return { next: null, strandedMore: false }
    case 'link': {
      const target = findLink(response.headers?.link, spec.rel ?? 'next')
      if (target === undefined) return { next: null, strandedMore: false }
      if (!response.baseUrl) throw new Error('link pagination needs the base URL to check links against')
      return { next: resolveLinkUnderBase(target, response.url ?? response.baseUrl, response.baseUrl), strandedMore: false }
    }
    case 'cursor': {
      const raw = getPath(body, spec.nextCursorPath)
      const next = raw === undefined || raw === null || raw === '' ? null : typeof raw === 'number' ? raw : String(raw)
      // A short page is the last one; an empty page is only when it hands back the cursor just
      // used (the end, seen from a vendor that keeps a cursor on its last page). An empty page
      // with a new cursor goes on: vendors do serve those mid-walk.
      if (spec.endOnShortPage && spec.limitParam && (rawCount > 0 ? rawCount < pageSize : next !== null && next === state)) {
        return { next: null, strandedMore: false }
      }
      const hasMore = spec.hasMorePath ? Boolean(getPath(body, spec.hasMorePath)) : next !== null
      if (!hasMore) return { next: null, strandedMore: false }
      return next === null ? { next: null, strandedMore: true } : { next, strandedMore: false }
    }
    case 'page': {
      const page = typeof state === 'number' ? state : (spec.firstPage ?? 1)
      if (spec.totalPagesPath) {
        const total = Number(getPath(body, spec.totalPagesPath))
        if (Number.isFinite(total)) return { next: page < total ? page + 1 : null, strandedMore: false }
      }
      const more = rawCount >= pageSize && rawCount > 0
      if (!more && spec.totalCountPath) {
        // A short (or empty) page while the total says records remain: the walk cannot go on
        // honestly, so it ends flagged partial instead of looking complete.
        const total = Number(getPath(body, spec.totalCountPath))
        const seen = (page - (spec.firstPage ?? 1)) * pageSize + rawCount
        if (Number.isFinite(total) && seen < total) return { next: null, strandedMore: true }
      }
      return { next: more ? page + 1 : null, strandedMore: false }
    }
    case 'offset': {
      const offset = typeof state === 'number' ? state : 0
      return { next: rawCount >= pageSize && rawCount > 0 ? offset + rawCount : null, strandedMore: false }
    }
  }
}

/**
 * The request for a vendor state. A `link` state is the next page's whole URL: it replaces the
 * base URL, path and query, after being checked again (the operator may have moved the base URL
 * since the cursor holding it was issued).
 */
export function pageRequest(req: PreparedRequest, spec: PaginationSpec, state: VendorState, baseUrl: string): PreparedRequest {
  if (spec.type !== 'link' || typeof state !== 'string') return req
  return { ...req, url: resolveLinkUnderBase(state, baseUrl, baseUrl), path: '', query: {} }
}

/** Whether a vendor page holds exactly one page of the size asked for (extra records belong to the next). */
export function pagesAreNumbered(spec: PaginationSpec): boolean {
  return spec.type === 'page' || (spec.type === 'link' && spec.numberedPages === true)
}
