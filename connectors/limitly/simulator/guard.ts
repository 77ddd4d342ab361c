/**
 * What every Limitly endpoint does before its own work: check the owner key and count the
 * request against the key's per-minute limit ("The Limitly API itself is rate limited to 1000
 * requests per minute per API key", https://docs.limitly.dev/rest-api/reference). The docs show
 * X-RateLimit-* headers only on /validate, where they describe the end user's quota
 * (https://docs.limitly.dev/rest-api/validation); the account limit has none, and its 429 no
 * Retry-After.
 */
import type { SimHandler, SimRequest, SimResponse } from '../../../src/sandbox/simulator-kit'
import type { FixedWindowLimiter } from './rate-limit'
import type { LimitlyShape } from './shape'

export interface GuardOptions {
  apiKey: string
  shape: LimitlyShape
  limiter: FixedWindowLimiter
}

function bearer(req: SimRequest): string | undefined {
  const header = req.headers.authorization
  const m = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null
  return m ? m[1] : undefined
}

export function guarded(options: GuardOptions, handler: SimHandler): SimHandler {
  const { apiKey, shape, limiter } = options
  return async (req: SimRequest): Promise<SimResponse> => {
    const presented = bearer(req)
    if (presented === undefined) {
      return shape.error(401, 'Missing or invalid authorization header', 'UNAUTHORIZED')
    }
    if (presented !== apiKey) return shape.error(401, 'Invalid API key', 'INVALID_API_KEY')

    if (!limiter.hit(presented).allowed) return shape.error(429, 'Rate limit exceeded', 'RATE_LIMIT_EXCEEDED')
    return handler(req)
  }
}
