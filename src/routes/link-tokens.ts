/** POST /link-token: a pass for an end user's browser to the connect page (src/connect). */
import { createRouter } from './create-app'
import * as handlers from './link-tokens.handlers'
import * as routes from './link-tokens.routes'

export function linkTokenRoutes() {
  return createRouter().openapi(routes.create, handlers.create)
}
