/**
 * One page of a run against the local copy: which records are new, changed (by content hash),
 * back after a deletion, or unchanged; the statements that store that, and the record events.
 * The caller commits the statements together with the run's checkpoint.
 */
import { and, eq, inArray } from 'drizzle-orm'
import type { AtomicStatement } from '../db/atomic'
import { syncRecords } from '../db/schema'
import type { UnifiedResource } from '../models/model-registry'
import type { GatewayServices } from '../services'
import { outboxEvent, type OutboxEvent } from './outbox'
import { computeFacets, contentHash, splitRecord, type StoredParts } from './record-codec'

export interface RunScope {
  accountId: string
  jobId: string
  runId: string
  resource: UnifiedResource
  /** `usage-metering/users` */
  resourceKey: string
}

export interface Counts {
  added: number
  updated: number
  deleted: number
  unchanged: number
}

export interface PageDiff {
  statements: AtomicStatement[]
  events: OutboxEvent[]
  counts: Counts
  /** Records this run had not seen before this page. */
  newlySeen: number
  /** Records without an id, which cannot be tracked. */
  skipped: number
}

/** D1 allows 100 bound parameters per statement; the id list shares them with the scope. */
const ID_CHUNK = 90

export function recordPayload(scope: RunScope, id: string, record: Record<string, unknown>): Record<string, unknown> {
  return {
    integrated_account_id: scope.accountId,
    sync_job_id: scope.jobId,
    sync_job_run_id: scope.runId,
    resource: scope.resourceKey,
    record_id: id,
    record,
  }
}

async function existingRows(services: GatewayServices, scope: RunScope, ids: string[]) {
  const out = new Map<string, { contentHash: string; deletedAt: string | null; lastSeenRunId: string }>()
  for (let i = 0; i < ids.length; i += ID_CHUNK) {
    const rows = await services.db
      .select({ recordId: syncRecords.recordId, contentHash: syncRecords.contentHash, deletedAt: syncRecords.deletedAt, lastSeenRunId: syncRecords.lastSeenRunId })
      .from(syncRecords)
      .where(and(eq(syncRecords.integratedAccountId, scope.accountId), eq(syncRecords.resource, scope.resourceKey), inArray(syncRecords.recordId, ids.slice(i, i + ID_CHUNK))))
    for (const r of rows) out.set(r.recordId, r)
  }
  return out
}

export async function diffPage(services: GatewayServices, scope: RunScope, records: Record<string, unknown>[], now: string): Promise<PageDiff> {
  const byId = new Map<string, StoredParts>()
  let skipped = 0
  for (const record of records) {
    const parts = splitRecord(record)
    if (parts) byId.set(parts.id, parts)
    else skipped++
  }
  const existing = await existingRows(services, scope, [...byId.keys()])
  const diff: PageDiff = { statements: [], events: [], counts: { added: 0, updated: 0, deleted: 0, unchanged: 0 }, newlySeen: 0, skipped }
  const key = and(eq(syncRecords.integratedAccountId, scope.accountId), eq(syncRecords.resource, scope.resourceKey))

  for (const [id, parts] of byId) {
    const hash = await contentHash(parts)
    const before = existing.get(id)
    const seenBefore = before?.lastSeenRunId === scope.runId
    if (!seenBefore) diff.newlySeen++
    const seen = { lastSeenAt: now, lastSeenRunId: scope.runId, syncJobId: scope.jobId }
    const record = { ...parts.unified, remote_data: parts.remoteData }
    const content = {
      unified: JSON.stringify(parts.unified),
      remoteData: JSON.stringify(parts.remoteData),
      contentHash: hash,
      facets: JSON.stringify(computeFacets(scope.resource, parts.unified, now)),
      changedAt: now,
      deletedAt: null,
    }

    if (!before) {
      diff.statements.push(
        services.db
          .insert(syncRecords)
          .values({ integratedAccountId: scope.accountId, resource: scope.resourceKey, recordId: id, firstSeenAt: now, ...content, ...seen })
          .onConflictDoUpdate({ target: [syncRecords.integratedAccountId, syncRecords.resource, syncRecords.recordId], set: { ...content, ...seen } }),
      )
      diff.counts.added++
      diff.events.push(outboxEvent('record:created', recordPayload(scope, id, record), now))
    } else if (before.deletedAt !== null || before.contentHash !== hash) {
      const back = before.deletedAt !== null
      diff.statements.push(services.db.update(syncRecords).set({ ...content, ...seen }).where(and(key, eq(syncRecords.recordId, id))))
      if (back) {
        // Deleted earlier, listed again: to a receiver it is a new record.
        if (!seenBefore) diff.counts.added++
        diff.events.push(outboxEvent('record:created', recordPayload(scope, id, record), now))
      } else {
        diff.counts.updated++
        diff.events.push(outboxEvent('record:updated', recordPayload(scope, id, record), now))
      }
    } else {
      diff.statements.push(services.db.update(syncRecords).set(seen).where(and(key, eq(syncRecords.recordId, id))))
      if (!seenBefore) diff.counts.unchanged++
    }
  }
  return diff
}
