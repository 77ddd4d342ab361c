/**
 * How api.github.com speaks: `Authorization: Bearer <token>` (or `token <token>`), the
 * `X-GitHub-Api-Version` header (absent means 2022-11-28, an unknown version is a 400), "Basic
 * Error" bodies `{message, documentation_url, status}` with `status` a string, and the primary
 * rate-limit headers on every answer.
 * https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api
 * https://docs.github.com/en/rest/about-the-rest-api/api-versions
 * https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#checking-the-status-of-your-rate-limit
 */
import type { SimHandler, SimRequest, SimResponse, VendorShape } from '../../../src/sandbox/simulator-kit'

export const DEFAULT_TOKEN = 'github_pat_11SANDBOX0unimeter0copilot0simulator'
export const SUPPORTED_VERSIONS = ['2022-11-28', '2026-03-10']
const DEFAULT_VERSION = '2022-11-28'
const DOCS = 'https://docs.github.com/rest'

export interface BasicError {
  message: string
  documentation_url: string
  status: string
}

/** The kit reports an unrouted path as "No route for GET /x"; GitHub just says "Not Found". */
const NO_ROUTE = /^No route for \S+ \S+$/

export function errorBody(status: number, message: string, documentationUrl = DOCS): BasicError {
  return {
    message: status === 404 && NO_ROUTE.test(message) ? 'Not Found' : message,
    documentation_url: documentationUrl,
    status: String(status),
  }
}

/** Thrown by handlers to answer with a Basic Error. */
export class GitHubError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly documentationUrl = DOCS,
  ) {
    super(message)
  }
}

/**
 * The primary rate limit of the simulated token: 5,000 requests an hour, counted from the
 * simulator's start, never exhausted by itself (tests exhaust it with injected headers).
 */
export class PrimaryRateLimit {
  private used = 0
  private readonly resetAt = Math.floor(Date.now() / 1000) + 3600

  headers(count: boolean): Record<string, string> {
    if (count) this.used++
    const used = Math.min(this.used, 4999)
    return {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(5000 - used),
      'x-ratelimit-used': String(used),
      'x-ratelimit-reset': String(this.resetAt),
      'x-ratelimit-resource': 'core',
    }
  }
}

export function githubVendor(limit: PrimaryRateLimit): VendorShape {
  return {
    errorBody: (status, message) => errorBody(status, message),
    // A secondary rate limit: 429 with retry-after, the primary limit untouched.
    defaultRetryAfter: '1',
    responseHeaders: () => ({ ...limit.headers(true), 'x-github-media-type': 'github.v3; format=json' }),
  }
}

function token(req: SimRequest): string | undefined {
  const header = req.headers.authorization
  if (typeof header !== 'string') return undefined
  return /^(?:Bearer|token)\s+(\S+)\s*$/i.exec(header)?.[1]
}

/** Wraps a handler with the version and token checks, and Basic Error bodies for a thrown GitHubError. */
export function githubRoute(expectedToken: string, handler: SimHandler): SimHandler {
  return async (req): Promise<SimResponse> => {
    const fail = (err: GitHubError): SimResponse => ({ status: err.status, body: errorBody(err.status, err.message, err.documentationUrl) })
    const version = req.headers['x-github-api-version']
    const selected = typeof version === 'string' ? version : DEFAULT_VERSION
    if (!SUPPORTED_VERSIONS.includes(selected)) {
      return fail(
        new GitHubError(
          400,
          `Unsupported 'X-GitHub-Api-Version' header value '${selected}'. Supported versions: ${SUPPORTED_VERSIONS.join(', ')}.`,
          'https://docs.github.com/rest/about-the-rest-api/api-versions',
        ),
      )
    }
    const sent = token(req)
    if (sent === undefined) return fail(new GitHubError(401, 'Requires authentication'))
    if (sent !== expectedToken) return fail(new GitHubError(401, 'Bad credentials'))
    try {
      const out = await handler(req)
      return { ...out, headers: { 'x-github-api-version-selected': selected, ...(out.headers ?? {}) } }
    } catch (err) {
      if (err instanceof GitHubError) return fail(err)
      throw err
    }
  }
}
