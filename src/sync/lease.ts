/**
 * One runner per run, across processes: the run row carries a lease (owner + expiry) that the
 * runner renews while it works. A lease not renewed in time (the process died) may be taken
 * over. Every write of a runner is fenced: if the lease is no longer its own, the whole
 * transaction fails, so a runner that was presumed dead cannot overwrite its successor's work.
 */
import { and, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm'
import type { AtomicStatement } from '../db/atomic'
import { syncJobRuns, syncLeaseFence, type SyncJobRunRow } from '../db/schema'
import type { GatewayServices } from '../services'

export const UNFINISHED = ['created', 'running'] as const

/** The lease is free: never taken, released, or expired. */
export const leaseIsFree = (now: number) => or(isNull(syncJobRuns.leaseOwner), lt(syncJobRuns.leaseExpiresAt, now))

/** A lease owner name for a run handed to a queue message rather than to a process (src/sync/run-queue.ts). */
export const newLeaseOwner = (): string => `unimeter-${crypto.randomUUID()}`

/**
 * Takes the run's lease for `owner` if it is free (or already `from`'s: `owner`'s own, or the
 * holder handing it over); the run, or undefined.
 */
export async function acquireLease(
  services: GatewayServices,
  runId: string,
  owner: string,
  now: number,
  ttlMs: number,
  from: string = owner,
): Promise<SyncJobRunRow | undefined> {
  const rows = await services.db
    .update(syncJobRuns)
    .set({ leaseOwner: owner, leaseExpiresAt: now + ttlMs, updatedAt: new Date(now).toISOString() })
    .where(
      and(eq(syncJobRuns.id, runId), inArray(syncJobRuns.status, [...UNFINISHED]), or(leaseIsFree(now), eq(syncJobRuns.leaseOwner, from))),
    )
    .returning()
  return rows[0]
}

/** Extends the lease; false when it is no longer `owner`'s (taken over, or the run is gone). */
export async function renewLease(services: GatewayServices, runId: string, owner: string, ttlMs: number): Promise<boolean> {
  const rows = await services.db
    .update(syncJobRuns)
    .set({ leaseExpiresAt: Date.now() + ttlMs })
    .where(and(eq(syncJobRuns.id, runId), eq(syncJobRuns.leaseOwner, owner)))
    .returning({ id: syncJobRuns.id })
  return rows.length > 0
}

/** First statement of every fenced write: fails the transaction unless `owner` holds the lease. */
export function leaseFence(services: GatewayServices, runId: string, owner: string): AtomicStatement {
  return services.db
    .insert(syncLeaseFence)
    .select(
      sql`select 1 where not exists (select 1 from ${syncJobRuns} where ${syncJobRuns.id} = ${runId} and ${syncJobRuns.leaseOwner} = ${owner})`,
    )
}

/** The fence's failure, as the database reports it. */
export function isFenceFailure(err: unknown): boolean {
  return /sync_lease_fence_never/.test(String((err as Error)?.message ?? err))
}
