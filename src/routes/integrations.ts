/** GET /integrations: the connectors this gateway has, what they need, and what they fill. */
import { createRouter } from './create-app'
import * as handlers from './integrations.handlers'
import * as routes from './integrations.routes'

export function integrationRoutes() {
  return createRouter().openapi(routes.list, handlers.list)
}
