/** The unified API routes: list, and get where the resource has it, for every registered (model, resource). */
import type { ConnectorRegistry } from '../../connectors/registry'
import type { UnifiedResource } from '../models/model-registry'
import { listParamsOf } from '../unified/list-params'
import { createRouter } from './create-app'
import * as handlers from './unified.handlers'
import * as routes from './unified.routes'

export function unifiedRoutes(resources: UnifiedResource[], connectors: ConnectorRegistry) {
  const router = createRouter()
  for (const resource of resources) {
    router.openapi(routes.list(resource, listParamsOf(resource, connectors)), handlers.list(resource))
    if (resource.methods.includes('get')) router.openapi(routes.getOne(resource), handlers.getOne(resource))
  }
  return router
}
