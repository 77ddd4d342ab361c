/** Sync jobs: create, list, get, update, delete, and run now. */
import { createRouter } from './create-app'
import * as handlers from './sync-jobs.handlers'
import * as routes from './sync-jobs.routes'

export function syncJobRoutes() {
  return createRouter()
    .openapi(routes.create, handlers.create)
    .openapi(routes.list, handlers.list)
    .openapi(routes.getOne, handlers.getOne)
    .openapi(routes.patch, handlers.patch)
    .openapi(routes.remove, handlers.remove)
    .openapi(routes.run, handlers.run)
}
