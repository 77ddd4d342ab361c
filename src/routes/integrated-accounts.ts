/**
 * Integrated accounts: create (validated and verified), list, get, update, delete. A tenant-bound
 * token sees only its tenant's accounts and keeps the accounts it creates or changes in it.
 */
import { createRouter } from './create-app'
import * as handlers from './integrated-accounts.handlers'
import * as routes from './integrated-accounts.routes'

export function integratedAccountRoutes() {
  return createRouter()
    .openapi(routes.create, handlers.create)
    .openapi(routes.list, handlers.list)
    .openapi(routes.getOne, handlers.getOne)
    .openapi(routes.patch, handlers.patch)
    .openapi(routes.remove, handlers.remove)
}
