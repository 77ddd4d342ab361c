/**
 * API tokens: create, list (without secrets), revoke. Only admin tokens bound to no tenant reach
 * these routes (access-policy.ts).
 */
import * as handlers from './api-tokens.handlers'
import * as routes from './api-tokens.routes'
import { createRouter } from './create-app'

export function apiTokenRoutes() {
  return createRouter().openapi(routes.create, handlers.create).openapi(routes.list, handlers.list).openapi(routes.revoke, handlers.revoke)
}
