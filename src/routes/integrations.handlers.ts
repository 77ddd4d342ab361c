/** GET /integrations: the catalog is built from the connectors, models and mappings the gateway holds. */
import type { RouteHandler } from '@hono/zod-openapi'
import { buildCatalog } from '../integrations/catalog'
import type { AppEnv } from './create-app'
import type * as routes from './integrations.routes'

export const list: RouteHandler<typeof routes.list, AppEnv> = async (c) => {
  const services = c.var.services
  const result = await buildCatalog({ connectors: services.connectors, models: services.models, mappings: services.engine.mappings })
  return c.json({ result, next_cursor: null }, 200)
}
