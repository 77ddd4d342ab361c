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
import type { OutboxEvent } from './outbox'
import { recordEvent, type RunScope } from './page-writer'

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
  // Only the keys: a deleted record keeps its content in the local copy, where its event's delivery reads it.
  const gone = await services.db.select({ recordId: syncRecords.recordId }).from(syncRecords).where(unseen)
  if (gone.length === 0) return { statements: [], events: [], deleted: 0, held: false }
  if (seenThisRun === 0 && !heldBefore) return { statements: [], events: [], deleted: 0, held: true }
  const events = gone.map((r) => recordEvent('record:deleted', scope, r.recordId, now))
  return { statements: [services.db.update(syncRecords).set({ deletedAt: now }).where(unseen)], events, deleted: gone.length, held: false }
}
