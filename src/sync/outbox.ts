/**
 * Events of a sync run go into an outbox table in the same transaction as the change they
 * describe, and are emitted on the event bus after the commit. A crash between the two loses
 * nothing: the next dispatch (after a run's page, or runDueJobs) emits what is left. An event
 * emitted twice keeps its id, so webhook deliveries are not duplicated.
 *
 * A record event (`record:created|updated|deleted`) stores only which record it is about — the
 * record itself is in `sync_records` already, committed in the same transaction — and is
 * emitted with a `recordRef`; webhook deliveries read the record when they are queued
 * (src/webhooks/record-payloads.ts). A run commits a page's record events as one outbox row
 * (outboxRows): they share all but their id, name and record, and one row to insert and delete
 * instead of a thousand is a large part of what a first sync writes.
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

/** Events as they go into the outbox: a row of their own each, or a run's record events grouped (outboxRows). */
export interface OutboxRow {
  /** The row's id: the event's own, or (a group) an id of its own. */
  id: string
  event: string
  payload: Record<string, unknown>
  createdAt: string
  /** The events the row holds, in order. */
  events: OutboxEvent[]
}

/** The `event` of a row holding record events (recordGroup); emitted as the events it holds, never itself. */
const RECORD_EVENTS_ROW = 'record:events'
/** The payload fields record events of one run and resource share (src/sync/page-writer.ts recordEvent). */
const SHARED_FIELDS = ['integrated_account_id', 'sync_job_id', 'sync_job_run_id', 'resource'] as const
/** Events per group row: a row stays a small value (D1 takes at most 2 MB, src/db/d1-limits.ts). */
const GROUP_EVENTS = 1000
const GROUP_CHARS = 200_000

/** Whether `e` is a record event as recordEvent builds it: the shared fields, then `record_id`, all text. */
function groupable(e: OutboxEvent): boolean {
  if (!e.recordRef) return false
  const keys = Object.keys(e.payload)
  const { accountId, resourceKey, recordId } = e.recordRef
  return (
    e.payload.integrated_account_id === accountId &&
    e.payload.resource === resourceKey &&
    keys.length === SHARED_FIELDS.length + 1 &&
    SHARED_FIELDS.every((k, i) => keys[i] === k && typeof e.payload[k] === 'string') &&
    keys[SHARED_FIELDS.length] === 'record_id' &&
    e.payload.record_id === recordId
  )
}

const sameGroup = (a: OutboxEvent, b: OutboxEvent) =>
  a.createdAt === b.createdAt && SHARED_FIELDS.every((k) => a.payload[k] === b.payload[k])

function recordGroup(events: OutboxEvent[]): OutboxRow {
  const [first] = events
  const shared = Object.fromEntries(SHARED_FIELDS.map((k) => [k, first.payload[k]]))
  const payload = { ...shared, events: events.map((e) => [e.id, e.event, e.recordRef!.recordId]) }
  return { id: newEventId(), event: RECORD_EVENTS_ROW, payload, createdAt: first.createdAt, events }
}

/**
 * The outbox rows of a commit's events, in order: consecutive record events of one run, resource
 * and time (a page's, or a run's deletions) share a row; any other event has one of its own.
 */
export function outboxRows(events: OutboxEvent[]): OutboxRow[] {
  const rows: OutboxRow[] = []
  let group: OutboxEvent[] = []
  let chars = 0
  const close = () => {
    if (group.length > 0) rows.push(group.length === 1 ? single(group[0]) : recordGroup(group))
    group = []
    chars = 0
  }
  for (const e of events) {
    if (!groupable(e)) {
      close()
      rows.push(single(e))
      continue
    }
    const id = e.recordRef!.recordId
    if (group.length > 0 && (!sameGroup(group[0], e) || group.length >= GROUP_EVENTS || chars + id.length > GROUP_CHARS)) close()
    group.push(e)
    chars += id.length + e.id.length + e.event.length
  }
  close()
  return rows
}

const single = (e: OutboxEvent): OutboxRow => ({ id: e.id, event: e.event, payload: e.payload, createdAt: e.createdAt, events: [e] })

/** Events in a few statements (src/db/json-rows.ts), not one per event: a row of their own each. */
export function outboxInsert(services: GatewayServices, events: OutboxEvent[]): AtomicStatement[] {
  return outboxRowsInsert(services, events.map(single))
}

export function outboxRowsInsert(services: GatewayServices, rows: OutboxRow[]): AtomicStatement[] {
  return jsonChunks(rows.map((r) => [r.id, r.event, r.payload, r.createdAt])).map((json) =>
    services.db
      .insert(syncEventOutbox)
      .select(sql`SELECT ${jsonField(0)}, ${jsonField(1)}, ${jsonFieldText(2)}, ${jsonField(3)} FROM json_each(${json})`),
  )
}

/** Rows emitted per round when draining everything waiting (a LIMIT, not bound parameters). */
const DRAIN_ROUND = 500

type StoredRow = typeof syncEventOutbox.$inferSelect

async function emitAndRemove(services: GatewayServices, events: GatewayEvent[], rowIds: string[]): Promise<void> {
  await services.events.emitAll(events)
  for (const json of jsonChunks(rowIds)) await services.db.delete(syncEventOutbox).where(inJsonArray(syncEventOutbox.id, json))
}

/** The events a stored row holds: itself, or (a group) each of its record events. */
function eventsOfRow(row: StoredRow): GatewayEvent[] {
  const payload = JSON.parse(row.payload) as Record<string, unknown>
  if (row.event !== RECORD_EVENTS_ROW)
    return [{ event: row.event, payload, id: row.id, createdAt: row.createdAt, recordRef: storedRecordRef(row.event, payload) }]
  const { events, ...shared } = payload as { events: [id: string, event: string, recordId: string][] }
  return events.map(([id, event, recordId]) => {
    const one = { ...shared, record_id: recordId }
    return { event, payload: one, id, createdAt: row.createdAt, recordRef: storedRecordRef(event, one) }
  })
}

/**
 * Emits outbox events oldest first, then removes them: `committed` — rows this process has
 * just committed, still in memory, so only whether they are still waiting is read back (another
 * dispatcher may have sent them meanwhile) — or, without it, everything waiting.
 */
export async function dispatchOutbox(services: GatewayServices, committed?: OutboxRow[]): Promise<void> {
  if (committed) {
    for (const json of jsonChunks(committed.map((r) => r.id))) {
      const waiting = new Set(
        (await services.db.select({ id: syncEventOutbox.id }).from(syncEventOutbox).where(inJsonArray(syncEventOutbox.id, json))).map(
          (r) => r.id,
        ),
      )
      const rows = committed.filter((r) => waiting.has(r.id))
      const events = rows.flatMap((r) =>
        r.events.map((e) => ({ event: e.event, payload: e.payload, id: e.id, createdAt: e.createdAt, recordRef: e.recordRef })),
      )
      if (events.length > 0)
        await emitAndRemove(
          services,
          events,
          rows.map((r) => r.id),
        )
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
    await emitAndRemove(
      services,
      rows.flatMap(eventsOfRow),
      rows.map((r) => r.id),
    )
  }
}
