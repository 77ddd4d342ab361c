/** GET /integrations: the connectors this gateway has, what they need, and what they fill. */
import { createRoute } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { buildCatalog } from '../integrations/catalog'
import { integrationListSchema } from '../integrations/catalog-schema'
import { createRouter, type AppEnv } from './create-app'
import { errorResponses } from './errors'

export function integrationRoutes() {
  const router = createRouter()
  router.openapi(
    createRoute({
      method: 'get',
      path: '/integrations',
      operationId: 'listIntegrations',
      tags: ['Integrations'],
      summary: 'List integrations',
      description:
        'Every connector: its label, the credential and context fields an integrated account needs (and which are secret), ' +
        'its unified resources and methods, and the unified fields each method fills (generated from the response mappings).',
      responses: {
        200: { content: { 'application/json': { schema: integrationListSchema } }, description: 'Every integration.' },
        401: errorResponses[401],
      },
    }),
    (async (c: Context<AppEnv>) => {
      const services = c.var.services
      const result = await buildCatalog({ connectors: services.connectors, models: services.models, mappings: services.engine.mappings })
      return c.json({ result, next_cursor: null }, 200)
    }) as never,
  )
  return router
}
