/**
 * The gateway's own rate limits (contract §3.4): per API token (default 500 requests / 10 s) and
 * per integrated account named in the query (default 50 / 10 s). A refused request gets 429 with
 * `Retry-After`, and every authenticated response carries `ratelimit-limit`, `ratelimit-remaining`
 * and `ratelimit-reset` (seconds) for the tighter of the two budgets.
 *
 * A unified response that already carries the vendor's `ratelimit-*` keeps them: §2.5 says those
 * headers describe the vendor's limits, and the vendor's budget is what a caller must pace for.
 * These 429s never reach the engine's retry loop: they are answered before any handler runs.
 * A handler building its own header record adds the headers itself (./limit-headers.ts).
 */
import type { MiddlewareHandler } from 'hono'
import type { Settings } from '../config/settings'
import { ApiError } from '../lib/http-errors'
import type { AppEnv } from './app-env'
import { LimitHeaders } from './limit-headers'
import type { WindowHit } from './rate-limit-window'
import { memoryRateLimitStore, type RateLimitStore } from './rate-limit-store'

/** Account ids are at most 200 characters (query schema); longer keys are cut to bound memory. */
const MAX_KEY_LENGTH = 200

/** What a budget is counted per; `address` counts failed authentications (./auth-failure-limit.ts). */
export type Scope = 'token' | 'account' | 'address' | 'link_token'

const SCOPES: Record<Scope, { refused: string; per: string }> = {
  token: { refused: 'Too many requests for this API token', per: 'API token' },
  account: { refused: 'Too many requests for this integrated account', per: 'integrated account' },
  address: { refused: 'Too many failed authentications from this address', per: 'client address, counting failed authentications' },
  link_token: { refused: 'Too many requests with this link token', per: 'link token' },
}

function headersFor(hit: WindowHit, windowMs: number): Record<string, string> {
  return {
    'ratelimit-limit': String(hit.limit),
    'ratelimit-remaining': String(hit.remaining),
    'ratelimit-reset': String(Math.ceil(hit.resetMs / 1000)),
    'ratelimit-policy': `${hit.limit};w=${Math.ceil(windowMs / 1000)}`,
  }
}

export function refusal(scope: Scope, hit: WindowHit, windowMs: number): ApiError {
  const seconds = Math.max(1, Math.ceil(hit.resetMs / 1000))
  const windowS = windowMs / 1000
  return new ApiError(
    429,
    'rate_limited',
    `${SCOPES[scope].refused}: the limit is ${hit.limit} per ${windowS} s. Retry after ${seconds} s.`,
    {
      insight: {
        rate_limit_error: {
          description: `unimeter's own limit per ${SCOPES[scope].per} was reached (not the vendor's).`,
          value: { scope, limit: hit.limit, window_seconds: windowS, retry_after_seconds: seconds },
        },
      },
      headers: { ...headersFor(hit, windowMs), 'retry-after': String(seconds) },
    },
  )
}

export interface RateLimitOptions {
  tokenLimit: number
  accountLimit: number
  windowMs: number
  /** Defaults to this process's memory; the runtime's store is `services.rateLimits`. */
  counter?: RateLimitStore
}

export function rateLimitOptions(settings: Settings): RateLimitOptions {
  return {
    tokenLimit: settings.UNIMETER_RATE_LIMIT_TOKEN,
    accountLimit: settings.UNIMETER_RATE_LIMIT_ACCOUNT,
    windowMs: settings.UNIMETER_RATE_LIMIT_WINDOW_MS,
  }
}

/** Runs after authentication: it needs the caller's token identity. */
export function gatewayRateLimit(options: RateLimitOptions): MiddlewareHandler<AppEnv> {
  const counter = options.counter ?? memoryRateLimitStore(options.windowMs)
  return async function rateLimit(c, next) {
    const identity = c.get('identity')
    if (!identity) return next()
    const hits: Array<{ scope: Scope; hit: WindowHit }> = []
    if (options.tokenLimit > 0) hits.push({ scope: 'token', hit: await counter.hit(`t:${identity.id}`, options.tokenLimit) })
    const accountId = c.req.query('integrated_account_id')
    // A token already refused does not spend the account's budget as well.
    if (options.accountLimit > 0 && accountId && hits.every((h) => h.hit.allowed)) {
      hits.push({ scope: 'account', hit: await counter.hit(`a:${accountId.slice(0, MAX_KEY_LENGTH)}`, options.accountLimit) })
    }
    if (hits.length === 0) return next()
    const refused = hits.find((h) => !h.hit.allowed)
    if (refused) {
      const err = refusal(refused.scope, refused.hit, options.windowMs)
      const res = c.json(err.toEnvelope(), 429)
      for (const [k, v] of Object.entries(err.options.headers ?? {})) res.headers.set(k, v)
      return res
    }
    const tightest = hits.reduce((a, b) => (b.hit.remaining < a.hit.remaining ? b : a))
    const limitHeaders = new LimitHeaders(headersFor(tightest.hit, options.windowMs))
    c.set('limitHeaders', limitHeaders)
    await next()
    if (limitHeaders.added || c.res.headers.has('ratelimit-limit')) return
    // Set on the response itself: c.header would rebuild a finalized response, and under
    // @hono/node-server's Response that rebuild drops the headers already set (retry-after).
    try {
      for (const [k, v] of Object.entries(limitHeaders.values)) c.res.headers.set(k, v)
    } catch {
      // Immutable headers (a response passed through as is): the limit headers are advisory.
    }
  }
}
