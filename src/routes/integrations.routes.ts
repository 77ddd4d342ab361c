/** The GET /integrations route's OpenAPI definition. */
import { createRoute } from '@hono/zod-openapi'
import { integrationListSchema } from '../integrations/catalog-schema'
import { errorResponses } from './errors'
import { jsonResponse } from './openapi-helpers'

export const list = createRoute({
  method: 'get',
  path: '/integrations',
  operationId: 'listIntegrations',
  tags: ['Integrations'],
  summary: 'List integrations',
  description:
    'Every connector: its label, the credential and context fields an integrated account needs (and which are secret), ' +
    'its unified resources and methods, and the unified fields each method fills (generated from the response mappings).',
  responses: { 200: jsonResponse(integrationListSchema, 'Every integration.'), 401: errorResponses[401] },
})
