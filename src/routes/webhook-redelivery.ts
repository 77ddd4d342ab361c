/** POST /webhook/{id}/deliveries/{delivery_id}/redeliver: the console's redelivery button. */
import { createRoute, z, type RouteHandler } from '@hono/zod-openapi'
import { deliveryViewSchema } from '../webhooks/api-schemas'
import { redeliver } from '../webhooks/redeliver'
import { deliveryView } from '../webhooks/webhook-store'
import { createRouter, type AppEnv } from './create-app'
import { errorResponses } from './errors'
import { conflict, jsonResponse, permanentConflict } from './openapi-helpers'

export const redeliverRoute = createRoute({
  method: 'post',
  path: '/webhook/{id}/deliveries/{delivery_id}/redeliver',
  operationId: 'redeliverWebhookDelivery',
  tags: ['Webhooks'],
  summary: 'Send a delivery again',
  description:
    'The same body and event id as the first time, signed again, sent once more now (one attempt; it counts in attempts). For a failed delivery, or a delivered one the receiver lost.',
  request: { params: z.object({ id: z.string().min(1).max(200), delivery_id: z.string().min(1).max(200) }) },
  responses: {
    202: jsonResponse(deliveryViewSchema, 'Queued: the delivery is pending and due now.'),
    ...errorResponses,
    ...conflict('The delivery is already pending.'),
    ...permanentConflict('The webhook is inactive.'),
  },
})

const handler: RouteHandler<typeof redeliverRoute, AppEnv> = async (c) => {
  const { id, delivery_id } = c.req.valid('param')
  return c.json(deliveryView(await redeliver(c.var.services, id, delivery_id)), 202)
}

export function webhookRedeliveryRoutes() {
  return createRouter().openapi(redeliverRoute, handler)
}
