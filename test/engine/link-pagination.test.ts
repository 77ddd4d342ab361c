/**
 * The `link` pagination strategy (RFC 8288 Link headers, as GitHub pages) and the throttle
 * conventions GitHub needs: parsing, which link is followed, and that no link ever leads the
 * engine (and the account's credentials) away from the connector's base URL.
 */
import { describe, expect, it } from 'vitest'
import { githubCopilot } from '../../connectors/github-copilot/connector'
import type { ConnectorDefinition, PaginationSpec } from '../../src/engine/connector-types'
import { findLink, parseLinkHeader, resolveLinkUnderBase } from '../../src/engine/link-header'
import { nextVendorState, pageRequest, pagesAreNumbered, paginationParams } from '../../src/engine/pagination'
import { isThrottled, throttleWaitMs } from '../../src/engine/rate-limits'
import type { PreparedRequest } from '../../src/engine/vendor-session'
import { ApiError } from '../../src/lib/http-errors'

const BASE = 'https://api.github.com'
const SEATS = `${BASE}/orgs/acme/copilot/billing/seats`
const spec: PaginationSpec = { type: 'link', limitParam: 'per_page', numberedPages: true }

/** GitHub's documented shape: prev, next, last, first, in that order. */
const GITHUB_LINK =
  `<${SEATS}?per_page=2&page=1>; rel="prev", <${SEATS}?per_page=2&page=3>; rel="next", ` +
  `<${SEATS}?per_page=2&page=9>; rel="last", <${SEATS}?per_page=2&page=1>; rel="first"`

function next(link: string | undefined, url = `${SEATS}?per_page=2&page=2`, baseUrl = BASE) {
  return nextVendorState(spec, url, {}, 2, 2, { headers: link === undefined ? {} : { link }, url, baseUrl })
}

function refusal(fn: () => unknown): ApiError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError)
    return err as ApiError
  }
  throw new Error('expected the link to be refused')
}

describe('Link header parsing', () => {
  it('reads every link with its relations, whatever the order', () => {
    expect(parseLinkHeader(GITHUB_LINK).map((l) => l.rels[0])).toEqual(['prev', 'next', 'last', 'first'])
    expect(findLink(GITHUB_LINK, 'next')).toBe(`${SEATS}?per_page=2&page=3`)
    expect(findLink(GITHUB_LINK, 'NEXT')).toBe(`${SEATS}?per_page=2&page=3`)
  })

  it('accepts unquoted and multi-valued rels, other parameters, and spacing', () => {
    expect(findLink('<https://x.test/a?p=2>;rel=next', 'next')).toBe('https://x.test/a?p=2')
    expect(findLink('<https://x.test/a?p=9> ; rel="last next" ; title="end"', 'next')).toBe('https://x.test/a?p=9')
    expect(findLink('<https://x.test/a>; title="a, b; rel=next"; rel="prev"', 'next')).toBeUndefined()
  })

  it('keeps commas inside the URL and quoted parameters, and only the first rel counts', () => {
    const value = '<https://x.test/a?ids=1,2,3&p=2>; title="x, y"; rel="next", <https://x.test/b>; rel="last"; rel="next"'
    expect(parseLinkHeader(value)).toEqual([
      { target: 'https://x.test/a?ids=1,2,3&p=2', rels: ['next'] },
      { target: 'https://x.test/b', rels: ['last'] },
    ])
  })

  it('has no next link when the header is absent, empty, malformed or has only other rels', () => {
    expect(findLink(undefined, 'next')).toBeUndefined()
    expect(findLink('', 'next')).toBeUndefined()
    expect(findLink('https://x.test/a; rel="next"', 'next')).toBeUndefined()
    expect(findLink('<https://x.test/a; rel="next"', 'next')).toBeUndefined()
    expect(findLink(`<${SEATS}?page=1>; rel="prev", <${SEATS}?page=1>; rel="first"`, 'next')).toBeUndefined()
  })
})

describe('link pagination', () => {
  it('sends the page size on the first request only: later pages are the link as given', () => {
    expect(paginationParams(spec, null, 50)).toEqual({ query: { per_page: 50 }, body: {} })
    expect(paginationParams(spec, `${SEATS}?per_page=50&page=2`, 50)).toEqual({ query: {}, body: {} })
    expect(pagesAreNumbered(spec)).toBe(true)
    expect(pagesAreNumbered({ type: 'link' })).toBe(false)
  })

  it('follows rel="next" and ends without one', () => {
    expect(next(GITHUB_LINK)).toEqual({ next: `${SEATS}?per_page=2&page=3`, strandedMore: false })
    expect(next(undefined)).toEqual({ next: null, strandedMore: false })
    expect(next(`<${SEATS}?per_page=2&page=1>; rel="prev", <${SEATS}?per_page=2&page=1>; rel="first"`)).toEqual({
      next: null,
      strandedMore: false,
    })
  })

  it('follows another relation when the connector names it', () => {
    const older: PaginationSpec = { type: 'link', rel: 'older' }
    const got = nextVendorState(older, null, {}, 1, 1, { headers: { link: `<${SEATS}?before=9>; rel="older"` }, url: SEATS, baseUrl: BASE })
    expect(got.next).toBe(`${SEATS}?before=9`)
  })

  it('resolves relative links against the URL that was requested', () => {
    expect(next('</orgs/acme/copilot/billing/seats?page=3>; rel="next"').next).toBe(`${SEATS}?page=3`)
    expect(next('<seats?page=3>; rel="next"').next).toBe(`${SEATS}?page=3`)
    expect(next('<?page=3>; rel="next"').next).toBe(`${SEATS}?page=3`)
  })

  it('refuses a next link on another host, scheme or port, or with credentials', () => {
    for (const target of [
      'https://evil.test/orgs/acme/copilot/billing/seats?page=3',
      'http://api.github.com/x',
      'https://api.github.com:8443/x',
      '//evil.test/x',
      'https://user:pw@api.github.com/x',
    ]) {
      const err = refusal(() => next(`<${target}>; rel="next"`))
      expect(err.status).toBe(502)
      expect(err.code).toBe('invalid_remote_response')
    }
  })

  it('refuses a link that leaves the base path, however it is spelled', () => {
    const base = 'http://127.0.0.1:4010/api/v3'
    const url = `${base}/orgs/acme/copilot/billing/seats`
    expect(nextVendorState(spec, null, {}, 1, 1, { headers: { link: '<seats?page=2>; rel="next"' }, url, baseUrl: base }).next).toBe(
      `${url}?page=2`,
    )
    for (const target of ['/other/seats', '/api/v3evil/seats', '/api/v3/../admin', '/api/v3/%2e%2e/admin', 'javascript:alert(1)']) {
      refusal(() => nextVendorState(spec, null, {}, 1, 1, { headers: { link: `<${target}>; rel="next"` }, url, baseUrl: base }))
    }
  })

  it('checks a link state again when it is used, against the base URL of that moment', () => {
    const req: PreparedRequest = { method: 'GET', path: '/orgs/acme/copilot/billing/seats', query: { per_page: 2 } }
    expect(pageRequest(req, spec, null, BASE)).toBe(req)
    expect(pageRequest(req, spec, `${SEATS}?per_page=2&page=2`, BASE)).toEqual({
      ...req,
      url: `${SEATS}?per_page=2&page=2`,
      path: '',
      query: {},
    })
    refusal(() => pageRequest(req, spec, `${SEATS}?page=2`, 'https://github.example.com/api/v3'))
    expect(resolveLinkUnderBase(`${SEATS}?page=2#frag`, SEATS, BASE)).toBe(`${SEATS}?page=2`)
  })
})

describe('throttle statuses and exhausted limits', () => {
  // GitHub Copilot's own convention: primary limit by reset, 403 as a throttle status.
  const github = githubCopilot.definition
  const now = Date.parse('2026-12-07T00:00:00Z')
  const reset = String(now / 1000 + 30)

  it('waits for retry-after first, else until the reset of an exhausted limit', () => {
    expect(throttleWaitMs(github, { 'retry-after': '7', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, now)).toBe(7000)
    expect(throttleWaitMs(github, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, now)).toBe(30_000)
    expect(throttleWaitMs(github, { 'x-ratelimit-remaining': '12', 'x-ratelimit-reset': reset }, now)).toBeUndefined()
    expect(throttleWaitMs(github, { 'x-ratelimit-remaining': '0' }, now)).toBeUndefined()
    // Without the convention an exhausted limit says nothing about waiting.
    expect(
      throttleWaitMs(
        { rateLimit: { ...github.rateLimit, waitForResetWhenExhausted: false } } as ConnectorDefinition,
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
        now,
      ),
    ).toBeUndefined()
  })

  it('a 403 is a rate limit only when it says how long to wait', () => {
    expect(isThrottled(github, 403, { 'retry-after': '60' })).toBe(true)
    expect(
      isThrottled(github, 403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 60) }),
    ).toBe(true)
    expect(isThrottled(github, 403, { 'x-ratelimit-remaining': '4999', 'x-ratelimit-reset': reset })).toBe(false)
    expect(isThrottled(github, 404, { 'retry-after': '60' })).toBe(false)
    expect(isThrottled({} as ConnectorDefinition, 403, { 'retry-after': '60' })).toBe(false)
  })
})
