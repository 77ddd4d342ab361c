/**
 * When each stored record was last seen, and by which run, as the sync reads it: the later of its
 * sync_records `last_seen_*` (set when its content is written) and its sync_records_seen row (set
 * when it is listed unchanged; see src/db/schema.ts).
 */
import type { AppDatabase } from '../../../src/db/database'
import { syncRecords, syncRecordsSeen } from '../../../src/db/schema'

export interface LastSeen {
  lastSeenAt: string
  lastSeenRunId: string
  syncJobId: string
}

/** By record id: for tests whose database holds one account's resource. */
export async function lastSeenByRecord(db: AppDatabase): Promise<Map<string, LastSeen>> {
  const pick = ({ lastSeenAt, lastSeenRunId, syncJobId }: LastSeen): LastSeen => ({ lastSeenAt, lastSeenRunId, syncJobId })
  const out = new Map<string, LastSeen>()
  for (const r of await db.select().from(syncRecords)) out.set(r.recordId, pick(r))
  for (const s of await db.select().from(syncRecordsSeen)) {
    const written = out.get(s.recordId)
    if (!written || s.lastSeenAt >= written.lastSeenAt) out.set(s.recordId, pick(s))
  }
  return out
}
