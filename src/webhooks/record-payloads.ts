/**
 * The `record` of a record event's delivery, read from the local copy when the delivery is
 * queued: sync events name their record rather than carrying a second copy of it (src/sync/outbox.ts).
 *
 * What a receiver gets is the record as `sync_records` holds it at that moment — right after the
 * page that changed it committed, so normally exactly the content of that change. A record that
 * changed again before its event was queued (an outbox drained late after a crash, another job
 * syncing the same account) is delivered with its newer content, which its later
 * `record:updated` carries too. A deleted record keeps its last content in the local copy, so
 * `record:deleted` carries what the record was when it disappeared. An event whose record no
 * longer exists at all (its account was deleted, and its records with it) is not delivered.
 */
import { and, eq } from 'drizzle-orm'
import { inJsonArray, jsonChunks } from '../db/json-rows'
import { syncRecords } from '../db/schema'
import type { GatewayEvent, RecordRef } from '../lib/event-bus'
import type { GatewayServices } from '../services'

/** The record as served in events: the unified fields, then remote_data. */
type StoredRecord = Record<string, unknown>

const scopeKey = (ref: RecordRef) => JSON.stringify([ref.accountId, ref.resourceKey])

async function readRecords(services: GatewayServices, refs: RecordRef[]): Promise<Map<string, StoredRecord>> {
  const byScope = new Map<string, { ref: RecordRef; ids: Set<string> }>()
  for (const ref of refs) {
    const key = scopeKey(ref)
    const entry = byScope.get(key) ?? byScope.set(key, { ref, ids: new Set() }).get(key)!
    entry.ids.add(ref.recordId)
  }
  const out = new Map<string, StoredRecord>()
  for (const [key, { ref, ids }] of byScope) {
    for (const json of jsonChunks([...ids])) {
      const rows = await services.db
        .select({ recordId: syncRecords.recordId, unified: syncRecords.unified, remoteData: syncRecords.remoteData })
        .from(syncRecords)
        .where(
          and(
            eq(syncRecords.integratedAccountId, ref.accountId),
            eq(syncRecords.resource, ref.resourceKey),
            inJsonArray(syncRecords.recordId, json),
          ),
        )
      for (const r of rows)
        out.set(JSON.stringify([key, r.recordId]), {
          ...(JSON.parse(r.unified) as Record<string, unknown>),
          remote_data: r.remoteData === null ? null : JSON.parse(r.remoteData),
        })
    }
  }
  return out
}

/**
 * `events` with each referenced record added to its payload as `record`; an event whose record
 * is gone is left out (and logged). Events without a reference pass unchanged.
 */
export async function withRecords(services: GatewayServices, events: GatewayEvent[]): Promise<GatewayEvent[]> {
  const refs = events.flatMap((e) => (e.recordRef ? [e.recordRef] : []))
  if (refs.length === 0) return events
  const records = await readRecords(services, refs)
  const out: GatewayEvent[] = []
  for (const e of events) {
    if (!e.recordRef) {
      out.push(e)
      continue
    }
    const record = records.get(JSON.stringify([scopeKey(e.recordRef), e.recordRef.recordId]))
    if (record) out.push({ ...e, payload: { ...e.payload, record } })
    else services.logger.warn('a record event was not delivered: its record no longer exists', { event: e.event, id: e.id, ...e.recordRef })
  }
  return out
}
