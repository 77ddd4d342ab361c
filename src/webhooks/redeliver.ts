/**
 * Redelivery: a delivery that failed (or one the receiver lost) is sent again, once, with the
 * exact bytes and event id of the first time, so a receiver that deduplicates on the event id
 * still can. It becomes pending and due now; the pump's usual attempt records the outcome.
 */
import { and, eq } from 'drizzle-orm'
import { webhookDeliveries, type WebhookDeliveryRow } from '../db/schema'
import { ApiError } from '../lib/http-errors'
import type { GatewayServices } from '../services'
import { announceDeliveries } from './delivery-queue'
import { webhookOr404 } from './webhook-store'

export async function redeliver(services: GatewayServices, webhookId: string, deliveryId: string): Promise<WebhookDeliveryRow> {
  const webhook = await webhookOr404(services, webhookId)
  const where = and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.webhookId, webhook.id))
  const row = (await services.db.select().from(webhookDeliveries).where(where).limit(1))[0]
  if (!row) throw new ApiError(404, 'webhook_delivery_not_found', `Webhook ${webhook.id} has no delivery ${deliveryId}`)
  if (!webhook.isActive)
    throw new ApiError(422, 'webhook_inactive', `Webhook ${webhook.id} is inactive: activate it (PATCH is_active) first`)
  if (row.status === 'pending') throw new ApiError(409, 'delivery_pending', `Delivery ${row.id} is already waiting to be sent`)
  const now = Date.now()
  const [updated] = await services.db
    .update(webhookDeliveries)
    // attempts is kept: it counts every attempt; the pump makes this one final if it fails.
    .set({ status: 'pending', nextAttemptAt: now, claimedUntil: null, deliveredAt: null, updatedAt: new Date(now).toISOString() })
    .where(and(where, eq(webhookDeliveries.status, row.status)))
    .returning()
  if (!updated) throw new ApiError(409, 'delivery_pending', `Delivery ${row.id} changed meanwhile: reload it`)
  await announceDeliveries(services, [updated.id])
  return updated
}
