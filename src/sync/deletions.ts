/**
 * After a complete run, records the run did not see are marked deleted — with one safety
 * catch: a run that saw nothing at all, for an account that had records, is more likely a
 * vendor hiccup (or a key that lost its scope) than everybody leaving, so it only holds the
 * deletions back; the next complete run confirms them if it sees nothing either. A record was
 * seen when the run wrote or touched it (its `last_seen_run_id`) or listed it unchanged in a
 * page's seen row (better-sqlite3, src/sync/run-seen.ts).
 */
import { asc, gt, ne, sql } from 'drizzle-orm'
import type { AtomicStatement } from '../db/atomic'
import { inJsonArray, jsonChunks } from '../db/json-rows'
import { syncRecords } from '../db/schema'
import type { GatewayServices } from '../services'
import type { OutboxEvent } from './outbox'
import { recordEvent, type RunScope } from './page-writer'
import type { SeenKeys } from './run-seen'
import { liveRecords } from './record-writes'

interface DeletionPlan {
  statements: AtomicStatement[]
  events: OutboxEvent[]
  deleted: number
  /** Deletions held back until a second empty run confirms them. */
  held: boolean
}

/**
 * Live records read per query while looking for the unseen ones. Finding them reads every live
 * record of the resource (when each was last seen is in its row), 1.5 GB for a million users:
 * on better-sqlite3 one query would hold the event loop for seconds — long enough for HTTP
 * clients on keep-alive connections to have theirs reset — so the scan goes in chunks, yielding
 * between them.
 */
export const DELETION_SCAN_CHUNK = 10_000

/** Lets timers and I/O run between synchronous queries (setTimeout: also on Workers). */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

/**
 * The keys of the live records of the resource that the run did not see, a chunk of rows at a
 * time in rowid order. Each chunk comes back as one row (its last rowid, its size, its unseen
 * keys as a JSON array), so the rows read are not built into objects one by one.
 */
async function unseenRecordIds(services: Pick<GatewayServices, 'db'>, scope: RunScope, chunk: number, seen?: SeenKeys): Promise<string[]> {
  const rowid = sql<number>`${syncRecords}.rowid`
  // Neither written nor touched by the run (its id in last_seen_run_id), nor among its seen rows' keys.
  const unseen = seen
    ? sql<boolean>`${syncRecords.lastSeenRunId} <> ${scope.runId} AND ${seen.notSeen(syncRecords.recordId)}`
    : sql<boolean>`${syncRecords.lastSeenRunId} <> ${scope.runId}`
  const gone: string[] = []
  for (let after = 0; ;) {
    const rows = services.db
      .select({ rowid: rowid.as('chunk_rowid'), recordId: syncRecords.recordId, unseen: unseen.as('chunk_unseen') })
      .from(syncRecords)
      .where(liveRecords(scope.accountId, scope.resourceKey, gt(rowid, after)))
      .orderBy(asc(rowid))
      .limit(chunk)
      .as('chunk')
    const [read] = await services.db
      .select({
        last: sql<number | null>`max(${rows.rowid})`,
        count: sql<number>`count(*)`,
        unseen: sql<string>`json_group_array(${rows.recordId}) filter (where ${rows.unseen})`,
      })
      .from(rows)
    gone.push(...(JSON.parse(read.unseen) as string[]))
    if (read.count < chunk || read.last === null) return gone
    after = read.last
    await yieldToEventLoop()
  }
}

export async function planDeletions(
  services: Pick<GatewayServices, 'db'>,
  scope: RunScope,
  seenThisRun: number,
  heldBefore: boolean,
  now: string,
  chunk = DELETION_SCAN_CHUNK,
  seen?: SeenKeys,
): Promise<DeletionPlan> {
  // Only the keys: a deleted record keeps its content in the local copy, where its event's delivery reads it.
  const gone = await unseenRecordIds(services, scope, chunk, seen)
  if (gone.length === 0) return { statements: [], events: [], deleted: 0, held: false }
  if (seenThisRun === 0 && !heldBefore) return { statements: [], events: [], deleted: 0, held: true }
  const events = gone.map((id) => recordEvent('record:deleted', scope, id, now))
  // By key, so the write costs what is deleted rather than another pass over every record.
  const statements = jsonChunks(gone).map((json) =>
    services.db
      .update(syncRecords)
      .set({ deletedAt: now })
      .where(
        liveRecords(
          scope.accountId,
          scope.resourceKey,
          ne(syncRecords.lastSeenRunId, scope.runId),
          inJsonArray(syncRecords.recordId, json),
        ),
      ),
  )
  return { statements, events, deleted: gone.length, held: false }
}
