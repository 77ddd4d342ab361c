/** Webhooks: create (secret shown once), list, get, update, delete, and their delivery records. */
import { createRouter } from './create-app'
import * as handlers from './webhooks.handlers'
import * as routes from './webhooks.routes'

export function webhookRoutes() {
  return createRouter()
    .openapi(routes.create, handlers.create)
    .openapi(routes.list, handlers.list)
    .openapi(routes.getOne, handlers.getOne)
    .openapi(routes.patch, handlers.patch)
    .openapi(routes.remove, handlers.remove)
    .openapi(routes.deliveries, handlers.deliveries)
}
