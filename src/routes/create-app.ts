/**
 * The Hono app shell: error envelope for everything (validation, auth, unknown routes, crashes),
 * request body size and JSON depth limits, bearer-token auth on every route except /health and
 * the docs, the gateway's own rate limits per token and per integrated account, and what the
 * token's role and tenant binding allow (access-policy.ts).
 */
import { OpenAPIHono } from '@hono/zod-openapi'
import type { Context, MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { HTTPException } from 'hono/http-exception'
import { ApiError } from '../lib/http-errors'
import type { GatewayServices } from '../services'
import { missingAccountIdError, validationError } from '../unified/query'
import { authorize } from './access-policy'
import { LINK_TOKEN_PATHS, PUBLIC_PATHS, type AppEnv } from './app-env'
import { authFailureLimit, authFailureLimitOptions } from './auth-failure-limit'
import { jsonDepthLimit } from './json-depth-limit'
import { queryParameterLimit } from './query-limit'
import { gatewayRateLimit, rateLimitOptions } from './rate-limit'

// Routers take AppEnv from here, beside createRouter.
export type { AppEnv }

export const MAX_BODY_BYTES = 1024 * 1024

export function errorResponse(c: Context, err: ApiError): Response {
  const res = c.json(err.toEnvelope(), err.status as 400)
  for (const [k, v] of Object.entries(err.options.headers ?? {})) res.headers.set(k, v)
  return res
}

export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return
      const issues = result.error.issues
      if (result.target === 'query' && issues.some((i) => i.path[0] === 'integrated_account_id' && i.code === 'invalid_type')) {
        return errorResponse(c, missingAccountIdError())
      }
      return errorResponse(c, validationError(result.error, result.target === 'json' ? 'body' : result.target))
    },
  })
}

function authMiddleware(): MiddlewareHandler<AppEnv> {
  return async function auth(c, next) {
    if (PUBLIC_PATHS.has(c.req.path) || LINK_TOKEN_PATHS.has(c.req.path)) return next()
    const header = c.req.header('authorization') ?? ''
    const match = /^Bearer\s+(\S+)$/i.exec(header)
    if (!match) {
      const res = errorResponse(c, new ApiError(401, 'unauthorized', 'Missing API token: send Authorization: Bearer <token>'))
      res.headers.set('www-authenticate', 'Bearer')
      return res
    }
    const identity = await c.get('services').tokens.verify(match[1])
    if (!identity) {
      const res = errorResponse(c, new ApiError(401, 'unauthorized', 'The API token is unknown or has been revoked'))
      res.headers.set('www-authenticate', 'Bearer error="invalid_token"')
      return res
    }
    c.set('identity', identity)
    return next()
  }
}

export function createApp(services: GatewayServices): OpenAPIHono<AppEnv> {
  const app = createRouter()
  // Middleware with nothing to do after the handler returns next() itself: no promise layer of its own.
  app.use('*', (c, next) => {
    c.set('services', services)
    return next()
  })
  app.use('*', queryParameterLimit())
  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => {
      const res = errorResponse(c, new ApiError(413, 'payload_too_large', `Request bodies are limited to ${MAX_BODY_BYTES} bytes`))
      // The rest of the body is never read, so the connection cannot carry another request:
      // saying so stops a keep-alive client from sending its next request into a closing socket.
      res.headers.set('connection', 'close')
      return res
    },
  })
  // GET and HEAD carry no body on either runtime; asking for one (c.req.raw.body) would build a
  // whole Request from @hono/node-server's lightweight one on every read (issue 16).
  app.use('*', (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next)))
  app.use('*', authFailureLimit(authFailureLimitOptions(services.settings, PUBLIC_PATHS)))
  app.use('*', authMiddleware())
  app.use('*', gatewayRateLimit({ ...rateLimitOptions(services.settings), counter: services.rateLimits }))
  // After the rate limit, so a token probing what it may not do spends its budget doing so.
  app.use('*', authorize())
  app.use('*', jsonDepthLimit())
  app.notFound((c) =>
    errorResponse(c, new ApiError(404, 'route_not_found', `No route for ${c.req.method} ${c.req.path}. See /docs for the API.`)),
  )
  app.onError((err, c) => {
    if (err instanceof ApiError) {
      if (err.status >= 500)
        services.logger.warn('request failed', { path: c.req.path, status: err.status, code: err.code, message: err.message })
      return errorResponse(c, err)
    }
    if (err instanceof HTTPException) {
      const status = err.status
      const message = status === 400 && /JSON/i.test(err.message) ? 'The request body is not valid JSON' : err.message || 'Bad request'
      return errorResponse(c, new ApiError(status, status === 400 ? 'invalid_body' : 'http_error', message))
    }
    services.logger.error('unexpected error', { path: c.req.path, error: (err as Error).message, stack: (err as Error).stack })
    return errorResponse(c, new ApiError(500, 'internal_error', 'Something went wrong inside unimeter; the error has been logged'))
  })
  return app
}
