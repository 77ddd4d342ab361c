/**
 * Events of a sync run go into an outbox table in the same transaction as the change they
 * describe, and are emitted on the event bus after the commit. A crash between the two loses
 * nothing: the next dispatch (after a run's page, or runDueJobs) emits what is left. An event
 * emitted twice keeps its id, so webhook deliveries are not duplicated.
 */
import { asc, inArray, sql } from 'drizzle-orm'
import type { AtomicStatement } from '../db/atomic'
import { syncEventOutbox } from '../db/schema'
import type { GatewayServices } from '../services'
import { newEventId } from '../webhooks/event-types'

export interface OutboxEvent {
  id: string
  event: string
  payload: Record<string, unknown>
  createdAt: string
}

export function outboxEvent(event: string, payload: Record<string, unknown>, now = new Date().toISOString()): OutboxEvent {
  return { id: newEventId(), event, payload, createdAt: now }
}

export function outboxInsert(services: GatewayServices, events: OutboxEvent[]): AtomicStatement[] {
  return events.map((e) => services.db.insert(syncEventOutbox).values({ id: e.id, event: e.event, payload: JSON.stringify(e.payload), createdAt: e.createdAt }))
}

/** D1 allows 100 bound parameters per statement. */
const CHUNK = 90

type OutboxRow = typeof syncEventOutbox.$inferSelect

async function emitAndRemove(services: GatewayServices, rows: OutboxRow[]): Promise<void> {
  for (const row of rows) {
    await services.events.emit(row.event, JSON.parse(row.payload) as Record<string, unknown>, { id: row.id, createdAt: row.createdAt })
  }
  if (rows.length > 0) await services.db.delete(syncEventOutbox).where(inArray(syncEventOutbox.id, rows.map((r) => r.id)))
}

/** Emits outbox events (these ids, or everything waiting) oldest first, then removes them. */
export async function dispatchOutbox(services: GatewayServices, ids?: string[]): Promise<void> {
  const select = () => services.db.select().from(syncEventOutbox)
  if (ids) {
    for (let i = 0; i < ids.length; i += CHUNK) {
      await emitAndRemove(services, await select().where(inArray(syncEventOutbox.id, ids.slice(i, i + CHUNK))).orderBy(asc(sql`rowid`)))
    }
    return
  }
  for (;;) {
    const rows = await select().orderBy(asc(sql`rowid`)).limit(CHUNK)
    if (rows.length === 0) return
    await emitAndRemove(services, rows)
  }
}
