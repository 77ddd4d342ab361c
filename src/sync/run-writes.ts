/**
 * The runner's writes to its own run row: each one fenced by the lease and committed together
 * with the records and events it accounts for, then the events are emitted.
 */
import { eq } from 'drizzle-orm'
import type { AtomicStatement } from '../db/atomic'
import { syncJobRuns, type SyncJobRunRow } from '../db/schema'
import { ApiError } from '../lib/http-errors'
import type { GatewayServices } from '../services'
import type { RunError } from './api-schemas'
import { leaseFence } from './lease'
import { dispatchOutbox, outboxEvent, outboxRows, outboxRowsInsert, type OutboxEvent } from './outbox'
import { runView } from './run-store'

export interface RunWriter {
  readonly runId: string
  /** Current row, as last written by this runner. */
  row: SyncJobRunRow
  /** Commits statements + a run-row patch + events atomically (fenced), then emits the events. */
  commit(statements: AtomicStatement[], patch: Partial<SyncJobRunRow>, events?: OutboxEvent[]): Promise<void>
}

export function runWriter(services: GatewayServices, row: SyncJobRunRow, owner: string, ttlMs: number): RunWriter {
  const writer: RunWriter = {
    runId: row.id,
    row,
    async commit(statements, patch, events = []) {
      const now = Date.now()
      // Only what changed: other columns (cancel_requested) are written by others meanwhile.
      const columns: Partial<SyncJobRunRow> = { ...patch, updatedAt: new Date(now).toISOString() }
      // Releasing the lease is the caller's choice (patch.leaseOwner = null); otherwise every commit renews it.
      if (!('leaseOwner' in patch)) columns.leaseExpiresAt = now + ttlMs
      const outbox = outboxRows(events)
      await services.atomic.run([
        leaseFence(services, row.id, owner),
        ...statements,
        services.db.update(syncJobRuns).set(columns).where(eq(syncJobRuns.id, row.id)),
        ...outboxRowsInsert(services, outbox),
      ])
      writer.row = { ...writer.row, ...columns }
      if (outbox.length > 0) await dispatchOutbox(services, outbox)
    },
  }
  return writer
}

/** A run event (`sync_job_run:started|completed|failed`) carrying the run as the API shows it. */
export function runEvent(event: string, row: SyncJobRunRow): OutboxEvent {
  return outboxEvent(event, runView(row) as unknown as Record<string, unknown>)
}

export function errorOf(err: unknown): RunError {
  if (err instanceof ApiError) return { code: err.code, message: err.message, status_code: err.status }
  return { code: 'internal_error', message: (err as Error)?.message ?? String(err), status_code: 500 }
}

/** The patch that ends a run (and frees its lease). */
export function finishPatch(status: 'succeeded' | 'failed' | 'cancelled', extra: Partial<SyncJobRunRow> = {}): Partial<SyncJobRunRow> {
  return { status, finishedAt: new Date().toISOString(), leaseOwner: null, leaseExpiresAt: null, ...extra }
}
