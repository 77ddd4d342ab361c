/**
 * Turns events into one pending delivery per subscribed active webhook. The delivery row holds
 * the exact body that will be signed and sent, so a retry sends the same bytes (a record event's
 * record is read into it here, src/webhooks/record-payloads.ts); a second
 * emission of the same event (same id) adds nothing. Events come in batches (a sync page's
 * record events at once): the webhooks are read once per batch and the rows inserted as JSON
 * arrays (src/db/json-rows.ts), not one statement per event.
 */
import { sql } from 'drizzle-orm'
import { jsonChunks, jsonField } from '../db/json-rows'
import { webhookDeliveries } from '../db/schema'
import type { GatewayEvent } from '../lib/event-bus'
import type { GatewayServices } from '../services'
import { newEventId, subscribes } from './event-types'
import { withRecords } from './record-payloads'
import { deliveryBody } from './signature'
import { activeWebhooks } from './webhook-store'

/** Returns the ids of the deliveries queued (none for an event already queued before). */
export async function enqueueDeliveries(services: GatewayServices, events: GatewayEvent[]): Promise<string[]> {
  const hooks = (await activeWebhooks(services)).map((w) => ({ id: w.id, eventTypes: JSON.parse(w.eventTypes) as string[] }))
  if (hooks.length === 0) return []
  const now = Date.now()
  const nowIso = new Date(now).toISOString()
  const rows: string[][] = []
  // Only events some webhook wants: a sync page nobody subscribed to costs no record reads.
  const wanted = events.filter((e) => hooks.some((w) => subscribes(w.eventTypes, e.event)))
  for (const event of await withRecords(services, wanted)) {
    const eventId = event.id ?? newEventId()
    const createdAt = event.createdAt ?? nowIso
    for (const w of hooks) {
      if (!subscribes(w.eventTypes, event.event)) continue
      const body = deliveryBody({ eventId, event: event.event, payload: event.payload, webhookId: w.id, createdAt })
      rows.push([crypto.randomUUID(), w.id, eventId, event.event, body])
    }
  }
  const queued: string[] = []
  for (const json of jsonChunks(rows)) {
    const inserted = await services.db
      .insert(webhookDeliveries)
      .select(
        // Columns in the table's order. `WHERE true` keeps SQLite from reading ON CONFLICT as a join constraint.
        sql`SELECT ${jsonField(0)}, ${jsonField(1)}, ${jsonField(2)}, ${jsonField(3)}, ${jsonField(4)}, 'pending', 0, ${now}, NULL, NULL, NULL, ${nowIso}, NULL, ${nowIso}
          FROM json_each(${json}) WHERE true`,
      )
      .onConflictDoNothing()
      .returning({ id: webhookDeliveries.id })
    for (const row of inserted) queued.push(row.id)
  }
  return queued
}
