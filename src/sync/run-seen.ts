/**
 * The keys a run listed unchanged, kept as one `sync_run_seen` row per page (src/db/schema.ts;
 * written by src/sync/prepared-record-writes.ts) rather than by rewriting each record's row.
 * At the end of the run they are copied into a keyed temporary table, a chunk of rows at a
 * time, so the deletion scan looks each live record up once (src/sync/deletions.ts) — one
 * `NOT IN` over a million keys would hold the event loop for seconds, and one per chunk of the
 * scan would build that set again for every chunk. The copy also tells which keys were listed
 * more than once: a record listed unchanged twice in one run (a vendor's pages shifting) counts
 * once. Only better-sqlite3 writes seen rows; D1 touches the records instead (a temporary table
 * does not outlive a statement there), so on D1 a run has none and none of this runs.
 */
import { and, eq, sql, type AnyColumn, type SQL } from 'drizzle-orm'
import type { AtomicStatement } from '../db/atomic'
import { syncRunSeen } from '../db/schema'
import type { GatewayServices } from '../services'
import { yieldToEventLoop } from './deletions'

type Services = Pick<GatewayServices, 'db'>

/** A run's seen keys of one resource, copied for the deletion scan; `release` when done with them. */
export interface SeenKeys {
  /** Seen keys listed more than once in the run, beyond the first time: each counted unchanged once too often. */
  duplicates: number
  /** Whether `recordId` (a column of the scanned rows) is none of the run's seen keys. */
  notSeen(recordId: AnyColumn): SQL
  release(): Promise<void>
}

/** Keys copied per statement (about a page of the deletion scan), with a turn of the event loop between. */
export const SEEN_COPY_CHUNK = 10_000

/**
 * The temporary table of one run's keys of one resource, named after both: runs that end at once on
 * the same connection each have their own, and it holds the key alone (the narrowest lookup). The
 * name keeps only letters, digits and underscores, so it is safe to write into the statement.
 */
const keysTable = (runId: string, resource: string) =>
  sql.raw(`"sync_run_seen_keys_${`${runId}_${resource}`.replace(/[^A-Za-z0-9]/g, '_')}"`)

const ofResource = (runId: string, resource: string) => and(eq(syncRunSeen.runId, runId), eq(syncRunSeen.resource, resource))

/**
 * Copies the run's seen keys of `resource` into the temporary table; undefined when the run has
 * none (D1, or a run that listed nothing unchanged), for which nothing needs releasing.
 */
export async function collectSeenKeys(
  services: Services,
  runId: string,
  resource: string,
  chunk = SEEN_COPY_CHUNK,
): Promise<SeenKeys | undefined> {
  const { db } = services
  const pages = await db
    .select({ id: syncRunSeen.id, count: syncRunSeen.recordCount })
    .from(syncRunSeen)
    .where(ofResource(runId, resource))
    .orderBy(syncRunSeen.id)
  if (pages.length === 0) return undefined
  const table = keysTable(runId, resource)
  const release = async () => void (await db.run(sql`DROP TABLE IF EXISTS temp.${table}`))
  // Left by a scan of this run that failed part way (a temporary table lives as long as the connection).
  await release()
  await db.run(sql`CREATE TEMP TABLE ${table} (record_id TEXT PRIMARY KEY) WITHOUT ROWID`)
  try {
    let listed = 0
    for (let from = 0; from < pages.length;) {
      let to = from
      let keys = pages[from].count
      while (to + 1 < pages.length && keys + pages[to + 1].count <= chunk) keys += pages[++to].count
      await db.run(sql`INSERT OR IGNORE INTO temp.${table} (record_id) SELECT j.value FROM sync_run_seen s, json_each(s.record_ids) j
        WHERE s.run_id = ${runId} AND s.resource = ${resource} AND s.id BETWEEN ${pages[from].id} AND ${pages[to].id}`)
      listed += keys
      from = to + 1
      if (from < pages.length) await yieldToEventLoop()
    }
    const [{ distinct }] = await db.all<{ distinct: number }>(sql`SELECT count(*) AS "distinct" FROM temp.${table}`)
    return {
      duplicates: listed - distinct,
      notSeen: (recordId) => sql`NOT EXISTS (SELECT 1 FROM temp.${table} k WHERE k.record_id = ${recordId})`,
      release,
    }
  } catch (err) {
    await release()
    throw err
  }
}

/** How many of the run's unchanged records were counted more than once, over every resource it listed. */
export async function seenDuplicates(services: Services, runId: string): Promise<number> {
  const resources = await services.db
    .selectDistinct({ resource: syncRunSeen.resource })
    .from(syncRunSeen)
    .where(eq(syncRunSeen.runId, runId))
  let duplicates = 0
  for (const { resource } of resources) {
    const seen = await collectSeenKeys(services, runId, resource)
    if (!seen) continue
    duplicates += seen.duplicates
    await seen.release()
  }
  return duplicates
}

/** Removes the run's seen rows: part of the commit that ends it, however it ends. */
export function forgetSeen(services: Services, runId: string): AtomicStatement {
  return services.db.delete(syncRunSeen).where(eq(syncRunSeen.runId, runId))
}
