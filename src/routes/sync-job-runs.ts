/** Runs of sync jobs: list, start, get, cancel. */
import { createRouter } from './create-app'
import * as handlers from './sync-job-runs.handlers'
import * as routes from './sync-job-runs.routes'

export function syncJobRunRoutes() {
  return createRouter()
    .openapi(routes.list, handlers.list)
    .openapi(routes.create, handlers.create)
    .openapi(routes.getOne, handlers.getOne)
    .openapi(routes.cancel, handlers.cancel)
}
