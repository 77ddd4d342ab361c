/**
 * The link-token-scoped API behind the connect page. No API token: the auth middleware lets
 * LINK_TOKEN_PATHS (create-app.ts) through, and each handler checks the link token instead. Limited per link
 * token (on top of the token's own cap on failed submissions) and, like a bad API token, every
 * unknown or expired link token counts against the client address (auth-failure-limit.ts).
 */
import type { MiddlewareHandler } from 'hono'
import * as handlers from './connect.handlers'
import * as routes from './connect.routes'
import { createRouter, type AppEnv } from './create-app'
import { refusal } from './rate-limit'
import { FixedWindowCounter } from './rate-limit-window'

const PER_TOKEN_LIMIT = 30
const WINDOW_MS = 60_000

function linkTokenRateLimit(): MiddlewareHandler<AppEnv> {
  const counter = new FixedWindowCounter(WINDOW_MS, 10_000)
  return async function perLinkToken(c, next) {
    const token = c.req.header(routes.LINK_TOKEN_HEADER)
    if (token) {
      const hit = counter.hit(token.slice(0, 200), PER_TOKEN_LIMIT)
      if (!hit.allowed) throw refusal('link_token', hit, WINDOW_MS)
    }
    return next()
  }
}

export function connectRoutes() {
  const router = createRouter()
  router.use('/connect/*', linkTokenRateLimit())
  return router.openapi(routes.session, handlers.session).openapi(routes.submit, handlers.submit)
}
