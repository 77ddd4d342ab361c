/** The /health route's OpenAPI definition (the docs routes are not part of the API they document). */
import { createRoute, z } from '@hono/zod-openapi'
import { errorSchema } from './errors'
import { jsonResponse } from './openapi-helpers'

export const health = createRoute({
  method: 'get',
  path: '/health',
  operationId: 'getHealth',
  tags: ['System'],
  summary: 'Liveness',
  security: [],
  responses: {
    200: jsonResponse(z.object({ status: z.literal('ok') }), 'The gateway is up.'),
    // Every route shares the body limit: even /health refuses a body over it before answering.
    413: jsonResponse(errorSchema, 'A request body over the gateway limit (1 MiB).'),
  },
})
