/**
 * Page reads and writes on better-sqlite3: the same rows as the set-based statements of
 * src/sync/record-writes.ts, through statements prepared once per database and run once per
 * record inside the page's transaction (the AtomicWriter's). Values are bound as they would be
 * stored: JSON text serialized once by JSON.stringify, `null` remote data as the JSON text 'null'.
 */
import type Database from 'better-sqlite3'
import type { LocalWork } from '../db/atomic'
import { jsonChunks } from '../db/json-rows'
import type { PageScope, RecordContent, RecordHash, RecordWrites, StoredState } from './record-writes'

type StateRow = [recordId: string, contentHash: string, deletedAt: string | null, lastSeenRunId: string]

// Columns in the table's order; a record already stored keeps its first_seen_at.
const UPSERT = `INSERT INTO sync_records (integrated_account_id, resource, record_id, unified, remote_data, content_hash, facets,
    first_seen_at, last_seen_at, changed_at, deleted_at, last_seen_run_id, sync_job_id)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)
  ON CONFLICT (integrated_account_id, resource, record_id) DO UPDATE SET
    unified = excluded.unified, remote_data = excluded.remote_data, content_hash = excluded.content_hash,
    facets = excluded.facets, changed_at = excluded.changed_at, deleted_at = NULL, last_seen_at = excluded.last_seen_at,
    last_seen_run_id = excluded.last_seen_run_id, sync_job_id = excluded.sync_job_id`

// The page's ids as one JSON array (src/db/json-rows.ts): a single read per page, however many ids.
const STATES = `SELECT record_id, content_hash, deleted_at, last_seen_run_id FROM sync_records
  WHERE integrated_account_id = ? AND resource = ? AND record_id IN (SELECT value FROM json_each(?))`

const REHASH = `UPDATE sync_records SET content_hash = ? WHERE integrated_account_id = ? AND resource = ? AND record_id = ?`

const TOUCH = `UPDATE sync_records SET last_seen_at = ?, last_seen_run_id = ?, sync_job_id = ?
  WHERE integrated_account_id = ? AND resource = ? AND record_id = ?`

// The page's unchanged records as one row (src/db/schema.ts syncRunSeen), not a rewrite of each record's row.
const SEEN = `INSERT INTO sync_run_seen (run_id, resource, record_ids, record_count) VALUES (?, ?, ?, ?)`

export function preparedRecordWrites(sqlite: Database.Database): RecordWrites {
  // Prepared on first use, not at start-up: the table exists only once migrations have run.
  let upsert: Database.Statement | undefined
  let touch: Database.Statement | undefined
  let rehash: Database.Statement | undefined
  let seen: Database.Statement | undefined
  let states: Database.Statement | undefined
  const work = (run: () => void): LocalWork[] => [{ local: true, run }]
  return {
    async storedStates(s: PageScope, ids: string[]) {
      const out = new Map<string, StoredState>()
      if (ids.length === 0) return out
      states ??= sqlite.prepare(STATES).raw()
      // Rows as arrays: no object per row to build only to copy it into the map.
      for (const json of jsonChunks(ids))
        for (const [recordId, contentHash, deletedAt, lastSeenRunId] of states.all(s.accountId, s.resourceKey, json) as StateRow[])
          out.set(recordId, { recordId, contentHash, deletedAt, lastSeenRunId })
      return out
    },
    // SQLite's own limit on a value is a billion bytes: no record a vendor sends is refused here.
    upsert(s: PageScope, records: RecordContent[]) {
      if (records.length === 0) return { statements: [], tooLarge: [] }
      const statements = work(() => {
        upsert ??= sqlite.prepare(UPSERT)
        for (const r of records)
          upsert.run(
            s.accountId,
            s.resourceKey,
            r.id,
            r.text?.unified ?? JSON.stringify(r.unified),
            r.text?.remoteData ?? JSON.stringify(r.remoteData ?? null),
            r.contentHash,
            JSON.stringify(r.facets),
            s.now,
            s.now,
            s.now,
            s.runId,
            s.jobId,
          )
      })
      return { statements, tooLarge: [] }
    },
    touch(s: PageScope, ids: string[]) {
      if (ids.length === 0) return []
      return work(() => {
        touch ??= sqlite.prepare(TOUCH)
        for (const id of ids) touch.run(s.now, s.runId, s.jobId, s.accountId, s.resourceKey, id)
      })
    },
    seen(s: PageScope, ids: string[]) {
      if (ids.length === 0) return []
      return work(() => {
        seen ??= sqlite.prepare(SEEN)
        seen.run(s.runId, s.resourceKey, JSON.stringify(ids), ids.length)
      })
    },
    rehash(s: PageScope, hashes: RecordHash[]) {
      if (hashes.length === 0) return []
      return work(() => {
        rehash ??= sqlite.prepare(REHASH)
        for (const h of hashes) rehash.run(h.contentHash, s.accountId, s.resourceKey, h.id)
      })
    },
  }
}
