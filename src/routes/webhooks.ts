/** Webhooks: create (secret shown once), list, get, update, delete, and their delivery records. */
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { assertPublicUrl } from '../engine/url-policy'
import type { GatewayServices } from '../services'
import { createdWebhookSchema, createWebhookBody, deliveryViewSchema, patchWebhookBody, webhookViewSchema } from '../webhooks/api-schemas'
import {
  createWebhook,
  deleteWebhook,
  deliveryView,
  listDeliveries,
  listWebhooks,
  updateWebhook,
  webhookOr404,
  webhookView,
} from '../webhooks/webhook-store'
import { createRouter, type AppEnv } from './create-app'
import { errorResponses } from './errors'
import { getByIdRoute, idParam, jsonBody, jsonResponse, keysetPage, pageEnvelope, pageQuery, validated } from './openapi-helpers'

const tag = 'Webhooks'
const deliveriesQuery = z.object({ status: z.enum(['pending', 'delivered', 'failed']).optional(), ...pageQuery })

/**
 * Only URLs unimeter may call: https to public addresses (or private ones when the operator
 * allows). A name that does not resolve now is refused (400): the delivery would fail anyway.
 */
async function checkTarget(services: GatewayServices, url: string): Promise<string> {
  return (await assertPublicUrl(url, services.settings, { label: 'target_url', refuseUnresolvable: true })).toString()
}

export function webhookRoutes() {
  const router = createRouter()

  router.openapi(
    createRoute({
      method: 'post',
      path: '/webhook',
      operationId: 'createWebhook',
      tags: [tag],
      summary: 'Create a webhook',
      description: 'The response carries the signing secret; it is never shown again.',
      request: jsonBody(createWebhookBody),
      responses: { 201: jsonResponse(createdWebhookSchema, 'Created, with its secret.'), ...errorResponses },
    }),
    (async (c: Context<AppEnv>) => {
      const services = c.var.services
      const body = validated<z.infer<typeof createWebhookBody>>(c, 'json')
      const targetUrl = await checkTarget(services, body.target_url)
      const { row, secret } = await createWebhook(services, { targetUrl, eventTypes: body.event_types, isActive: body.is_active ?? true })
      return c.json({ ...webhookView(row), secret }, 201)
    }) as never,
  )

  router.openapi(
    createRoute({
      method: 'get',
      path: '/webhook',
      operationId: 'listWebhooks',
      tags: [tag],
      summary: 'List webhooks',
      request: { query: z.object(pageQuery) },
      responses: { 200: jsonResponse(pageEnvelope(webhookViewSchema), 'A page of webhooks.'), ...errorResponses },
    }),
    (async (c: Context<AppEnv>) => {
      const services = c.var.services
      const q = validated<{ limit?: number; next_cursor?: string }>(c, 'query')
      const limit = q.limit ?? 100
      const { page, next } = await keysetPage(
        services,
        { list: 'webhook', cursor: q.next_cursor, limit, keys: ['after'] },
        (after, take) => listWebhooks(services, { afterId: after?.after, limit: take }),
        (row) => ({ after: row.id }),
      )
      return c.json({ result: page.map(webhookView), next_cursor: next, limit }, 200)
    }) as never,
  )

  getByIdRoute(
    router,
    {
      path: '/webhook/{id}',
      operationId: 'getWebhook',
      tag,
      summary: 'Get a webhook',
      schema: webhookViewSchema,
      description: 'The webhook.',
    },
    async (services, id) => webhookView(await webhookOr404(services, id)),
  )

  router.openapi(
    createRoute({
      method: 'patch',
      path: '/webhook/{id}',
      operationId: 'updateWebhook',
      tags: [tag],
      summary: 'Update a webhook',
      request: { params: idParam, ...jsonBody(patchWebhookBody) },
      responses: { 200: jsonResponse(webhookViewSchema, 'The updated webhook.'), ...errorResponses },
    }),
    (async (c: Context<AppEnv>) => {
      const services = c.var.services
      const row = await webhookOr404(services, c.req.param('id') ?? '')
      const body = validated<z.infer<typeof patchWebhookBody>>(c, 'json')
      const targetUrl = body.target_url === undefined ? undefined : await checkTarget(services, body.target_url)
      const updated = await updateWebhook(services, row, { targetUrl, eventTypes: body.event_types, isActive: body.is_active })
      return c.json(webhookView(updated), 200)
    }) as never,
  )

  router.openapi(
    createRoute({
      method: 'delete',
      path: '/webhook/{id}',
      operationId: 'deleteWebhook',
      tags: [tag],
      summary: 'Delete a webhook (and its delivery records)',
      request: { params: idParam },
      responses: { 200: jsonResponse(z.object({ id: z.string() }), 'Deleted.'), ...errorResponses },
    }),
    (async (c: Context<AppEnv>) => {
      const { id } = await webhookOr404(c.var.services, c.req.param('id') ?? '')
      await deleteWebhook(c.var.services, id)
      return c.json({ id }, 200)
    }) as never,
  )

  router.openapi(
    createRoute({
      method: 'get',
      path: '/webhook/{id}/deliveries',
      operationId: 'listWebhookDeliveries',
      tags: [tag],
      summary: 'Delivery records of a webhook, newest first',
      request: { params: idParam, query: deliveriesQuery },
      responses: { 200: jsonResponse(pageEnvelope(deliveryViewSchema), 'A page of deliveries.'), ...errorResponses },
    }),
    (async (c: Context<AppEnv>) => {
      const services = c.var.services
      const webhook = await webhookOr404(services, c.req.param('id') ?? '')
      const q = validated<z.infer<typeof deliveriesQuery>>(c, 'query')
      const limit = q.limit ?? 100
      const { page, next } = await keysetPage(
        services,
        { list: `webhook-deliveries:${webhook.id}`, cursor: q.next_cursor, limit, keys: ['c', 'i'] },
        (after, take) =>
          listDeliveries(services, {
            webhookId: webhook.id,
            status: q.status,
            before: after && { createdAt: after.c, id: after.i },
            limit: take,
          }),
        (row) => ({ c: row.createdAt, i: row.id }),
      )
      return c.json({ result: page.map(deliveryView), next_cursor: next, limit }, 200)
    }) as never,
  )
  return router
}
