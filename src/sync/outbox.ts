/**
 * Events of a sync run go into an outbox table in the same transaction as the change they
 * describe, and are emitted on the event bus after the commit. A crash between the two loses
 * nothing: the next dispatch (after a run's page, or runDueJobs) emits what is left. An event
 * emitted twice keeps its id, so webhook deliveries are not duplicated.
 *
 * A record event (`record:created|updated|deleted`) stores only which record it is about — the
 * record itself is in `sync_records` already, committed in the same transaction — and is
 * emitted with a `recordRef`; webhook deliveries read the record when they are queued
 * (src/webhooks/record-payloads.ts).
 */
import { asc, sql } from 'drizzle-orm'
import type { AtomicStatement } from '../db/atomic'
import { inJsonArray, jsonChunks, jsonField, jsonFieldText } from '../db/json-rows'
import { syncEventOutbox } from '../db/schema'
import type { GatewayEvent, RecordRef } from '../lib/event-bus'
import type { GatewayServices } from '../services'
import { newEventId } from '../webhooks/event-types'

export interface OutboxEvent {
  id: string
  event: string
  payload: Record<string, unknown>
  createdAt: string
  recordRef?: RecordRef
}

export function outboxEvent(
  event: string,
  payload: Record<string, unknown>,
  now = new Date().toISOString(),
  recordRef?: RecordRef,
): OutboxEvent {
  return { id: newEventId(), event, payload, createdAt: now, recordRef }
}

/**
 * The record a stored record event names. Rows queued before record events were stored by
 * reference carry their `record` and need none.
 */
function storedRecordRef(event: string, payload: Record<string, unknown>): RecordRef | undefined {
  if (!event.startsWith('record:') || 'record' in payload) return undefined
  const { integrated_account_id: accountId, resource: resourceKey, record_id: recordId } = payload
  if (typeof accountId !== 'string' || typeof resourceKey !== 'string' || typeof recordId !== 'string') return undefined
  return { accountId, resourceKey, recordId }
}

/** A page's events in a few statements (src/db/json-rows.ts), not one per event. */
export function outboxInsert(services: GatewayServices, events: OutboxEvent[]): AtomicStatement[] {
  const rows = events.map((e) => [e.id, e.event, e.payload, e.createdAt])
  return jsonChunks(rows).map((json) =>
    services.db
      .insert(syncEventOutbox)
      .select(sql`SELECT ${jsonField(0)}, ${jsonField(1)}, ${jsonFieldText(2)}, ${jsonField(3)} FROM json_each(${json})`),
  )
}

/** Rows emitted per round when draining everything waiting (a LIMIT, not bound parameters). */
const DRAIN_ROUND = 500

type OutboxRow = typeof syncEventOutbox.$inferSelect

async function emitAndRemove(services: GatewayServices, events: GatewayEvent[]): Promise<void> {
  await services.events.emitAll(events)
  for (const json of jsonChunks(events.map((e) => e.id)))
    await services.db.delete(syncEventOutbox).where(inJsonArray(syncEventOutbox.id, json))
}

function fromRow(row: OutboxRow): GatewayEvent {
  const payload = JSON.parse(row.payload) as Record<string, unknown>
  return { event: row.event, payload, id: row.id, createdAt: row.createdAt, recordRef: storedRecordRef(row.event, payload) }
}

/**
 * Emits outbox events oldest first, then removes them: `committed` — events this process has
 * just committed, still in memory, so only whether they are still waiting is read back (another
 * dispatcher may have sent them meanwhile) — or, without it, everything waiting.
 */
export async function dispatchOutbox(services: GatewayServices, committed?: OutboxEvent[]): Promise<void> {
  if (committed) {
    for (const json of jsonChunks(committed.map((e) => e.id))) {
      const waiting = new Set(
        (await services.db.select({ id: syncEventOutbox.id }).from(syncEventOutbox).where(inJsonArray(syncEventOutbox.id, json))).map(
          (r) => r.id,
        ),
      )
      const events = committed
        .filter((e) => waiting.has(e.id))
        .map((e) => ({ event: e.event, payload: e.payload, id: e.id, createdAt: e.createdAt, recordRef: e.recordRef }))
      if (events.length > 0) await emitAndRemove(services, events)
    }
    return
  }
  for (;;) {
    const rows = await services.db
      .select()
      .from(syncEventOutbox)
      .orderBy(asc(sql`rowid`))
      .limit(DRAIN_ROUND)
    if (rows.length === 0) return
    await emitAndRemove(services, rows.map(fromRow))
  }
}
