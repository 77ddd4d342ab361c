/**
 * After a complete run, records the run did not see are marked deleted — with one safety
 * catch: a run that saw nothing at all, for an account that had records, is more likely a
 * vendor hiccup (or a key that lost its scope) than everybody leaving, so it only holds the
 * deletions back; the next complete run confirms them if it sees nothing either.
 */
import { and, eq, isNull, ne } from 'drizzle-orm'
import type { AtomicStatement } from '../db/atomic'
import { syncRecords } from '../db/schema'
import type { GatewayServices } from '../services'
import { outboxEvent, type OutboxEvent } from './outbox'
import { recordPayload, type RunScope } from './page-writer'

interface DeletionPlan {
  statements: AtomicStatement[]
  events: OutboxEvent[]
  deleted: number
  /** Deletions held back until a second empty run confirms them. */
  held: boolean
}

export async function planDeletions(
  services: GatewayServices,
  scope: RunScope,
  seenThisRun: number,
  heldBefore: boolean,
  now: string,
): Promise<DeletionPlan> {
  const unseen = and(
    eq(syncRecords.integratedAccountId, scope.accountId),
    eq(syncRecords.resource, scope.resourceKey),
    isNull(syncRecords.deletedAt),
    ne(syncRecords.lastSeenRunId, scope.runId),
  )
  const gone = await services.db
    .select({ recordId: syncRecords.recordId, unified: syncRecords.unified, remoteData: syncRecords.remoteData })
    .from(syncRecords)
    .where(unseen)
  if (gone.length === 0) return { statements: [], events: [], deleted: 0, held: false }
  if (seenThisRun === 0 && !heldBefore) return { statements: [], events: [], deleted: 0, held: true }
  const events = gone.map((r) => {
    const record = {
      ...(JSON.parse(r.unified) as Record<string, unknown>),
      remote_data: r.remoteData === null ? null : JSON.parse(r.remoteData),
    }
    return outboxEvent('record:deleted', recordPayload(scope, r.recordId, record), now)
  })
  return { statements: [services.db.update(syncRecords).set({ deletedAt: now }).where(unseen)], events, deleted: gone.length, held: false }
}
