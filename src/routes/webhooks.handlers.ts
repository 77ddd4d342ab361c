/** Webhook handlers: the signing secret is in the create response only; target URLs are checked on every write. */
import type { RouteHandler } from '@hono/zod-openapi'
import { assertPublicUrl } from '../engine/url-policy'
import type { GatewayServices } from '../services'
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
import type { AppEnv } from './create-app'
import { keysetPage } from './openapi-helpers'
import type * as routes from './webhooks.routes'

/**
 * Only URLs unimeter may call: https to public addresses (or private ones when the operator
 * allows). A name that does not resolve now is refused (400): the delivery would fail anyway.
 */
async function checkTarget(services: GatewayServices, url: string): Promise<string> {
  return (await assertPublicUrl(url, services.settings, { label: 'target_url', refuseUnresolvable: true })).toString()
}

export const create: RouteHandler<typeof routes.create, AppEnv> = async (c) => {
  const services = c.var.services
  const body = c.req.valid('json')
  const targetUrl = await checkTarget(services, body.target_url)
  const { row, secret } = await createWebhook(services, { targetUrl, eventTypes: body.event_types, isActive: body.is_active ?? true })
  return c.json({ ...webhookView(row), secret }, 201)
}

export const list: RouteHandler<typeof routes.list, AppEnv> = async (c) => {
  const services = c.var.services
  const q = c.req.valid('query')
  const { page, next, limit } = await keysetPage(
    services,
    { list: 'webhook', query: q, keys: ['after'] },
    (after, take) => listWebhooks(services, { afterId: after?.after, limit: take }),
    (row) => ({ after: row.id }),
  )
  return c.json({ result: page.map(webhookView), next_cursor: next, limit }, 200)
}

export const getOne: RouteHandler<typeof routes.getOne, AppEnv> = async (c) =>
  c.json(webhookView(await webhookOr404(c.var.services, c.req.valid('param').id)), 200)

export const patch: RouteHandler<typeof routes.patch, AppEnv> = async (c) => {
  const services = c.var.services
  const row = await webhookOr404(services, c.req.valid('param').id)
  const body = c.req.valid('json')
  const targetUrl = body.target_url === undefined ? undefined : await checkTarget(services, body.target_url)
  const updated = await updateWebhook(services, row, { targetUrl, eventTypes: body.event_types, isActive: body.is_active })
  return c.json(webhookView(updated), 200)
}

export const remove: RouteHandler<typeof routes.remove, AppEnv> = async (c) => {
  const { id } = await webhookOr404(c.var.services, c.req.valid('param').id)
  await deleteWebhook(c.var.services, id)
  return c.json({ id }, 200)
}

export const deliveries: RouteHandler<typeof routes.deliveries, AppEnv> = async (c) => {
  const services = c.var.services
  const webhook = await webhookOr404(services, c.req.valid('param').id)
  const q = c.req.valid('query')
  const { page, next, limit } = await keysetPage(
    services,
    { list: `webhook-deliveries:${webhook.id}`, query: q, keys: ['c', 'i'] },
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
}
