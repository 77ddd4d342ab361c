/**
 * One page of a run against the local copy: which records are new, changed (by content hash),
 * back after a deletion, or unchanged; the statements that store that, and the record events.
 * The caller commits the statements together with the run's checkpoint. Statements are per page,
 * not per record (src/sync/record-writes.ts).
 */
import type { AtomicStatement } from '../db/atomic'
import type { UnifiedResource } from '../models/model-registry'
import type { GatewayServices } from '../services'
import { outboxEvent, type OutboxEvent } from './outbox'
import { computeFacets, contentHash, isCurrentHashForm, matchesStoredHash, splitRecord, storedText, type StoredParts } from './record-codec'
import { type PageScope, type RecordContent, type RecordHash, type TooLargeRecord } from './record-writes'

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
  /** Records without a usable key, which cannot be tracked. */
  skipped: number
  /**
   * New or changed records too large for the database to store as one row (D1): not written and
   * no event, but marked seen, so a copy stored earlier is kept rather than deleted by absence.
   */
  tooLarge: TooLargeRecord[]
}

/**
 * A `record:*` event about record `id`: its payload names the record, and `record` (the record
 * with its remote_data) is added from the local copy when the event is delivered.
 */
export function recordEvent(event: `record:${string}`, scope: RunScope, id: string, now: string): OutboxEvent {
  const payload = {
    integrated_account_id: scope.accountId,
    sync_job_id: scope.jobId,
    sync_job_run_id: scope.runId,
    resource: scope.resourceKey,
    record_id: id,
  }
  return outboxEvent(event, payload, now, { accountId: scope.accountId, resourceKey: scope.resourceKey, recordId: id })
}

export async function diffPage(
  services: GatewayServices,
  scope: RunScope,
  records: Record<string, unknown>[],
  now: string,
): Promise<PageDiff> {
  const byId = new Map<string, StoredParts>()
  let skipped = 0
  for (const record of records) {
    const parts = splitRecord(scope.resource, record)
    if (parts) byId.set(parts.id, parts)
    else skipped++
  }
  const page: PageScope = { accountId: scope.accountId, resourceKey: scope.resourceKey, runId: scope.runId, jobId: scope.jobId, now }
  const ids = [...byId.keys()]
  const allParts = [...byId.values()]
  const texts = allParts.map(storedText)
  // The page's hashes at once: Web Crypto digests are asynchronous, so awaiting them one by one serializes them.
  const [existing, hashes] = await Promise.all([
    services.recordWrites.storedStates(page, ids),
    Promise.all(allParts.map((parts, i) => contentHash(parts, services.sha256Hex, texts[i]))),
  ])
  // An unchanged record costs a compare; only one whose stored hash is of the earlier form is checked
  // against that form, asynchronously.
  const unchanged: boolean[] = []
  const earlierForm: Promise<void>[] = []
  ids.forEach((id, i) => {
    const before = existing.get(id)
    const live = before !== undefined && before.deletedAt === null
    unchanged.push(live && before.contentHash === hashes[i])
    if (live && !unchanged[i] && !isCurrentHashForm(before.contentHash))
      earlierForm.push(
        matchesStoredHash(before.contentHash, hashes[i], allParts[i], services.sha256Hex).then((same) => void (unchanged[i] = same)),
      )
  })
  if (earlierForm.length > 0) await Promise.all(earlierForm)
  const diff: PageDiff = {
    statements: [],
    events: [],
    counts: { added: 0, updated: 0, deleted: 0, unchanged: 0 },
    newlySeen: 0,
    skipped,
    tooLarge: [],
  }
  const written: RecordContent[] = []
  /** Per written record: whether it was stored before, and deleted since. */
  const priors: { before: boolean; deleted: boolean; seenBefore: boolean }[] = []
  const touched: string[] = []
  /** Unchanged records this run had not seen: marked seen without rewriting their rows (RecordWrites.seen). */
  const listed: string[] = []
  const rehashed: RecordHash[] = []
  // Only a snapshot's deletion scan reads the seen rows; a window resource's records keep the touch.
  const seenRows = scope.resource.sync.mode === 'snapshot'

  ids.forEach((id, i) => {
    const parts = allParts[i]
    const hash = hashes[i]
    const before = existing.get(id)
    const seenBefore = before?.lastSeenRunId === scope.runId
    if (!seenBefore) diff.newlySeen++
    if (before && unchanged[i]) {
      // Stored in the earlier form: the same content, from now on compared in the current one. The
      // row is rewritten for its hash anyway, so it is touched too.
      const rehash = before.contentHash !== hash
      if (rehash) rehashed.push({ id, contentHash: hash })
      if (rehash || !seenRows) touched.push(id)
      else if (!seenBefore) listed.push(id)
      if (!seenBefore) diff.counts.unchanged++
      return
    }
    written.push({
      id,
      unified: parts.unified,
      remoteData: parts.remoteData,
      text: texts[i],
      contentHash: hash,
      facets: computeFacets(scope.resource, parts.unified, now),
    })
    priors.push({ before: before !== undefined, deleted: before?.deletedAt != null, seenBefore })
  })
  const writes = services.recordWrites
  const upsert = writes.upsert(page, written)
  diff.tooLarge = upsert.tooLarge
  const refused = new Set(upsert.tooLarge.map((r) => r.id))
  written.forEach(({ id }, i) => {
    const { before, deleted, seenBefore } = priors[i]
    if (refused.has(id)) {
      touched.push(id)
      return
    }
    if (!before) {
      diff.counts.added++
      diff.events.push(recordEvent('record:created', scope, id, now))
    } else if (deleted) {
      // Deleted earlier, listed again: to a receiver it is a new record.
      if (!seenBefore) diff.counts.added++
      diff.events.push(recordEvent('record:created', scope, id, now))
    } else {
      diff.counts.updated++
      diff.events.push(recordEvent('record:updated', scope, id, now))
    }
  })
  diff.statements.push(...upsert.statements, ...writes.touch(page, touched), ...writes.seen(page, listed), ...writes.rehash(page, rehashed))
  return diff
}
