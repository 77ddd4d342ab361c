/**
 * `GET /orgs/{org}/copilot/billing/seats` and `GET /orgs/{org}/members/{username}/copilot`.
 *
 * Paging as GitHub does it: `page` (from 1) and `per_page` (default 50, silently capped at 100;
 * values that are not positive integers fall back to the defaults), `total_seats` beside `seats`,
 * and a `link` header with first/prev/next/last absolute URLs, left out when everything fits on
 * one page. https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api
 */
import type { SimHandler, SimRequest } from '../../../src/sandbox/simulator-kit'
import type { CopilotOrg } from './org'
import { GitHubError } from './vendor'

export const DEFAULT_PER_PAGE = 50
export const MAX_PER_PAGE = 100

function positiveInt(text: string | null, fallback: number): number {
  return text !== null && /^\d+$/.test(text) && Number(text) >= 1 ? Number(text) : fallback
}

/** The organization in the path, which GitHub matches case-insensitively. */
export function requireOrg(org: CopilotOrg, req: SimRequest): void {
  if (req.params.org.toLowerCase() !== org.login.toLowerCase()) throw new GitHubError(404, 'Not Found')
}

/** `<…?per_page=n&page=p>; rel="…"` links for a page, in GitHub's order. */
function linkHeader(req: SimRequest, perPage: number, page: number, lastPage: number, nextPage: number | null): string | undefined {
  const url = (p: number) => `<http://${req.headers.host}${req.path}?per_page=${perPage}&page=${p}>`
  const links: string[] = []
  if (page > 1) links.push(`${url(Math.min(page - 1, lastPage))}; rel="prev"`)
  if (nextPage !== null) links.push(`${url(nextPage)}; rel="next"`, `${url(lastPage)}; rel="last"`)
  if (page > 1) links.push(`${url(1)}; rel="first"`)
  return links.length > 0 ? links.join(', ') : undefined
}

export function listSeatsHandler(org: CopilotOrg): SimHandler {
  return (req) => {
    requireOrg(org, req)
    const perPage = Math.min(positiveInt(req.query.get('per_page'), DEFAULT_PER_PAGE), MAX_PER_PAGE)
    const page = positiveInt(req.query.get('page'), 1)
    const lastPage = Math.max(1, Math.ceil(org.size / perPage))
    const from = Math.min((page - 1) * perPage, org.size)
    let to = Math.min(from + perPage, org.size)
    let nextPage: number | null = to < org.size ? page + 1 : null

    // Semantic faults: an empty page that links on (to itself), a page that links to itself
    // again, or a page holding more than asked for (the next page still starts at page·per_page).
    if (req.fault('empty-has-more')) {
      to = from
      nextPage = page
    } else if (req.fault('repeat-cursor')) {
      nextPage = page
    } else {
      const oversized = req.fault('oversized-page')
      if (oversized) to = Math.min(org.size, from + perPage * (oversized.factor ?? 2))
    }

    const seats: string[] = []
    for (let i = from; i < to; i++) seats.push(org.seatJson(i))
    const link = linkHeader(req, perPage, page, lastPage, nextPage)
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', ...(link ? { link } : {}) }
    return { status: 200, body: `{"total_seats":${org.size},"seats":[${seats.join(',')}]}`, headers }
  }
}

export function getSeatHandler(org: CopilotOrg, copilotEnabled: boolean): SimHandler {
  return (req) => {
    requireOrg(org, req)
    if (!copilotEnabled) {
      throw new GitHubError(
        422,
        'Copilot Business or Enterprise is not enabled for this organization.',
        'https://docs.github.com/rest/copilot/copilot-user-management#get-copilot-seat-assignment-details-for-a-user',
      )
    }
    const index = org.indexOfLogin(req.params.username)
    if (index < 0) throw new GitHubError(404, 'Not Found')
    return { status: 200, body: org.seat(index) }
  }
}
