/**
 * What every Limitly endpoint does before its own work: check the owner key and count the
 * request against the key's per-minute limit. Authenticated responses (success or not) carry
 * the X-RateLimit-* headers, since the gateway computes them before the function runs.
 */
import type { SimHandler, SimRequest, SimResponse } from '../../../src/sandbox/simulator-kit'
import { rateLimitHeaders, type FixedWindowLimiter } from './rate-limit'
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

    const state = limiter.hit(presented)
    const headers = rateLimitHeaders(state)
    if (!state.allowed) {
      // No Retry-After: Limitly documents none (§5.3); X-RateLimit-Reset says when to come back.
      return { ...shape.error(429, 'Rate limit exceeded', 'RATE_LIMIT_EXCEEDED'), headers }
    }
    const out = await handler(req)
    return { ...out, headers: { ...headers, ...(out.headers ?? {}) } }
  }
}
