/**
 * Turns an event into one pending delivery per subscribed active webhook. The delivery row
 * holds the exact body that will be signed and sent, so a retry sends the same bytes; a second
 * emission of the same event (same id) adds nothing.
 */
import { webhookDeliveries } from '../db/schema'
import type { GatewayEvent } from '../lib/event-bus'
import type { GatewayServices } from '../services'
import { newEventId, subscribes } from './event-types'
import { deliveryBody } from './signature'
import { activeWebhooks } from './webhook-store'

/** Returns how many deliveries were queued. */
export async function enqueueDeliveries(services: GatewayServices, event: GatewayEvent): Promise<number> {
  const targets = (await activeWebhooks(services)).filter((w) => subscribes(JSON.parse(w.eventTypes) as string[], event.event))
  if (targets.length === 0) return 0
  const eventId = event.id ?? newEventId()
  const createdAt = event.createdAt ?? new Date().toISOString()
  const now = Date.now()
  const nowIso = new Date(now).toISOString()
  let queued = 0
  // D1 allows 100 bound parameters per statement: a few rows per insert.
  for (let i = 0; i < targets.length; i += 8) {
    const rows = await services.db
      .insert(webhookDeliveries)
      .values(
        targets.slice(i, i + 8).map((w) => ({
          id: crypto.randomUUID(),
          webhookId: w.id,
          eventId,
          event: event.event,
          body: deliveryBody({ eventId, event: event.event, payload: event.payload, webhookId: w.id, createdAt }),
          status: 'pending',
          attempts: 0,
          nextAttemptAt: now,
          createdAt: nowIso,
          updatedAt: nowIso,
        })),
      )
      .onConflictDoNothing()
      .returning({ id: webhookDeliveries.id })
    queued += rows.length
  }
  return queued
}
