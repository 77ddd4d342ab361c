/**
 * The statements that store one page of a run in `sync_records`, set-based: the page's rows go
 * to the database as JSON arrays (src/db/json-rows.ts), so a page of any size costs a few
 * statements rather than one per record — on D1's 100-parameter limit and in query building.
 * That is the form for D1 (a batch of statements); better-sqlite3 runs cached prepared
 * statements row by row instead (src/sync/prepared-record-writes.ts), which SQLite does about
 * twice as fast as reading the rows back out of JSON. The runtime picks (RecordWrites, wired in
 * src/runtime/build-services.ts).
 */
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm'
import type { AtomicStatement } from '../db/atomic'
import { D1_MAX_RECORD_BYTES } from '../db/d1-limits'
import { inJsonArray, jsonChunks, jsonField, jsonFieldText, planJsonChunks } from '../db/json-rows'
import { syncRecords } from '../db/schema'
import type { AppDatabase } from '../db/database'
import type { StoredText } from './record-codec'

/** A new or changed record: everything but what the page has in common. */
export interface RecordContent {
  id: string
  /** Stored as JSON text; serialized once, with the page's rows. */
  unified: Record<string, unknown>
  remoteData: unknown
  /** `unified` and `remoteData` as JSON text, when the content hash already serialized them. */
  text?: StoredText
  contentHash: string
  facets: Record<string, unknown>
}

export interface PageScope {
  accountId: string
  resourceKey: string
  runId: string
  jobId: string
  now: string
}

/** An unchanged record's content hash, recomputed in the current form (src/sync/record-codec.ts). */
export interface RecordHash {
  id: string
  contentHash: string
}

/** A record left out of a write because, as one stored row, it is larger than the database takes. */
export interface TooLargeRecord {
  id: string
  /** Its row's size as written (UTF-8 bytes of its JSON). */
  bytes: number
  /** The most this runtime stores for one record (src/db/d1-limits.ts). */
  limit: number
}

export interface UpsertPlan {
  statements: AtomicStatement[]
  /** Records not written: each alone exceeds the row limit. */
  tooLarge: TooLargeRecord[]
}

/** A stored record's hash and state, as a page's diff compares them (src/sync/page-writer.ts). */
export interface StoredState {
  recordId: string
  contentHash: string
  deletedAt: string | null
  lastSeenRunId: string
}

/** How a page's records are read and written on this runtime; both forms read and store the same rows. */
export interface RecordWrites {
  /** The stored hash and state of those of `ids` the local copy has, by id. */
  storedStates(s: PageScope, ids: string[]): Promise<Map<string, StoredState>>
  upsert(s: PageScope, records: RecordContent[]): UpsertPlan
  touch(s: PageScope, ids: string[]): AtomicStatement[]
  /**
   * Records the run listed unchanged, seen for its deletion scan: a touch where the runtime
   * writes set-based (D1), one `sync_run_seen` row for the page on better-sqlite3.
   */
  seen(s: PageScope, ids: string[]): AtomicStatement[]
  /** Replaces content hashes only (the content is the same: nothing else changes). */
  rehash(s: PageScope, hashes: RecordHash[]): AtomicStatement[]
}

export function setBasedRecordWrites(db: AppDatabase): RecordWrites {
  return {
    storedStates: (s, ids) => storedStates(db, s, ids),
    upsert: (s, records) => upsertRecords(db, s, records),
    touch: (s, ids) => touchRecords(db, s, ids),
    seen: (s, ids) => touchRecords(db, s, ids),
    rehash: (s, hashes) => rehashRecords(db, s, hashes),
  }
}

const scopeOf = (s: PageScope) => and(eq(syncRecords.integratedAccountId, s.accountId), eq(syncRecords.resource, s.resourceKey))

/** The records of one account's resource that are not deleted, plus `more` conditions. */
export const liveRecords = (accountId: string, resourceKey: string, ...more: Array<SQL | undefined>) =>
  and(eq(syncRecords.integratedAccountId, accountId), eq(syncRecords.resource, resourceKey), isNull(syncRecords.deletedAt), ...more)

/** The stored hash and state of those of `ids` the local copy has. */
export async function storedStates(db: AppDatabase, s: PageScope, ids: string[]): Promise<Map<string, StoredState>> {
  const out = new Map<string, StoredState>()
  for (const json of jsonChunks(ids)) {
    const rows = await db
      .select({
        recordId: syncRecords.recordId,
        contentHash: syncRecords.contentHash,
        deletedAt: syncRecords.deletedAt,
        lastSeenRunId: syncRecords.lastSeenRunId,
      })
      .from(syncRecords)
      .where(and(scopeOf(s), inJsonArray(syncRecords.recordId, json)))
    for (const r of rows) out.set(r.recordId, r)
  }
  return out
}

/**
 * Inserts new records and overwrites changed ones (content, seen, deletion cleared); a record
 * already stored keeps its first_seen_at. Columns in the table's order, as INSERT … SELECT needs.
 * A record whose row alone is over D1_MAX_RECORD_BYTES is left out and listed, not sent for D1
 * to refuse (which would fail the whole page's batch).
 */
export function upsertRecords(db: AppDatabase, s: PageScope, records: RecordContent[]): UpsertPlan {
  const rows = records.map((r) => [r.id, r.unified, r.remoteData ?? null, r.contentHash, r.facets])
  const excluded = (column: string) => sql.raw(`excluded."${column}"`)
  const plan = planJsonChunks(rows, D1_MAX_RECORD_BYTES + 2)
  const tooLarge = plan.oversized.map(({ index, bytes }) => ({ id: records[index].id, bytes, limit: D1_MAX_RECORD_BYTES }))
  const statements = plan.chunks.map((json) =>
    db
      .insert(syncRecords)
      .select(
        // `WHERE true` keeps SQLite from reading ON CONFLICT as a join constraint of the SELECT.
        sql`SELECT ${s.accountId}, ${s.resourceKey}, ${jsonField(0)}, ${jsonFieldText(1)}, ${jsonFieldText(2)}, ${jsonField(3)}, ${jsonFieldText(4)},
          ${s.now}, ${s.now}, ${s.now}, NULL, ${s.runId}, ${s.jobId} FROM json_each(${json}) WHERE true`,
      )
      .onConflictDoUpdate({
        target: [syncRecords.integratedAccountId, syncRecords.resource, syncRecords.recordId],
        set: {
          unified: excluded('unified'),
          remoteData: excluded('remote_data'),
          contentHash: excluded('content_hash'),
          facets: excluded('facets'),
          changedAt: excluded('changed_at'),
          deletedAt: null,
          lastSeenAt: excluded('last_seen_at'),
          lastSeenRunId: excluded('last_seen_run_id'),
          syncJobId: excluded('sync_job_id'),
        },
      }),
  )
  return { statements, tooLarge }
}

export function rehashRecords(db: AppDatabase, s: PageScope, hashes: RecordHash[]): AtomicStatement[] {
  return jsonChunks(hashes.map((h) => [h.id, h.contentHash])).map((json) =>
    db
      .update(syncRecords)
      .set({ contentHash: sql`(SELECT ${jsonField(1)} FROM json_each(${json}) WHERE ${jsonField(0)} = ${syncRecords.recordId})` })
      .where(and(scopeOf(s), sql`${syncRecords.recordId} IN (SELECT ${jsonField(0)} FROM json_each(${json}))`)),
  )
}

/** Records listed again without a change: only when they were last seen moves. */
export function touchRecords(db: AppDatabase, s: PageScope, ids: string[]): AtomicStatement[] {
  return jsonChunks(ids).map((json) =>
    db
      .update(syncRecords)
      .set({ lastSeenAt: s.now, lastSeenRunId: s.runId, syncJobId: s.jobId })
      .where(and(scopeOf(s), inJsonArray(syncRecords.recordId, json))),
  )
}
