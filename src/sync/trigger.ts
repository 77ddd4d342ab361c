/**
 * Starting and cancelling runs. A trigger while the job has an unfinished run returns that run
 * (taking it over if its runner died); otherwise it creates a run, leased to this process, and
 * executes it in the background (the scheduler's queue consumer passes its own start).
 */
import { and, eq, inArray, sql } from 'drizzle-orm'
import { syncJobRuns, type SyncJobRunRow } from '../db/schema'
import { ApiError } from '../lib/http-errors'
import type { GatewayServices } from '../services'
import type { RunView } from './api-schemas'
import type { StopReason } from './host'
import type { JobWithAccount } from './job-store'
import { UNFINISHED } from './lease'
import { executeRun } from './runner'
import { findRun, insertRun, unfinishedRunOf } from './run-store'
import { finishPatch } from './run-writes'
import { forgetSeen, seenDuplicates } from './run-seen'

export interface Triggered {
  run: SyncJobRunRow
  /** False when the job already had an unfinished run, which is returned instead. */
  created: boolean
  /** Settles when this process has finished with the run (for runtimes that must keep it alive). */
  done: Promise<void>
}

function assertRunnable({ job, accountStatus }: JobWithAccount): void {
  if (accountStatus === 'needs_reauth') {
    throw new ApiError(
      422,
      'integrated_account_needs_reauth',
      `Sync job ${job.id} is paused: integrated account ${job.integratedAccountId} needs re-authentication (the vendor refused its credentials). ` +
        `Update them with PATCH /integrated-account/${job.integratedAccountId}`,
    )
  }
}

/** How a triggered run is set going; settles when this process is done with it. */
export type RunStarter = (services: GatewayServices, runId: string, now: number) => Promise<void>

/** Runs `runId` in the background of this process (tracked, so shutdown waits for it). */
function startInBackground(services: GatewayServices, runId: string, now: number): Promise<void> {
  const done = executeRun(services, runId, now)
  services.syncHost.track(done, `sync run ${runId}`)
  return done.catch(() => undefined)
}

export async function triggerRun(
  services: GatewayServices,
  found: JobWithAccount,
  trigger: RunView['trigger'],
  now = Date.now(),
  start: RunStarter = startInBackground,
): Promise<Triggered> {
  assertRunnable(found)
  const host = services.syncHost
  if (host.closing) throw new ApiError(503, 'shutting_down', 'unimeter is shutting down; trigger the run again once it is back')
  const { job } = found
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await unfinishedRunOf(services, job.id)
    // A run whose runner died is picked up here; a live one is left alone (the lease decides).
    if (existing) return { run: existing, created: false, done: start(services, existing.id, now) }
    const ttl = host.settings.UNIMETER_SYNC_LEASE_MS
    const run = await insertRun(services, {
      jobId: job.id,
      accountId: job.integratedAccountId,
      trigger,
      owner: host.owner,
      now,
      ttlMs: ttl,
    })
    if (run) return { run, created: true, done: start(services, run.id, now) }
    // Another trigger created one between our read and insert: read again.
  }
  throw new ApiError(409, 'sync_job_busy', `Sync job ${job.id} is being triggered concurrently; try again`)
}

/**
 * Cancels an unfinished run. A run executing here stops at once; one executing elsewhere stops
 * before its next page; one nobody is executing (its runner died) is marked cancelled now.
 */
export async function cancelRun(services: GatewayServices, run: SyncJobRunRow): Promise<SyncJobRunRow> {
  if (!(UNFINISHED as readonly string[]).includes(run.status)) {
    throw new ApiError(
      422,
      'sync_job_run_finished',
      `Sync job run ${run.id} already ended (${run.status}); only created or running runs can be cancelled`,
    )
  }
  await services.db
    .update(syncJobRuns)
    .set({ cancelRequested: true, updatedAt: new Date().toISOString() })
    .where(eq(syncJobRuns.id, run.id))
  const local = services.syncHost.runs.get(run.id)
  if (local) {
    local.abort.abort('cancel' satisfies StopReason)
    await local.done
  } else if (run.leaseOwner === null || (run.leaseExpiresAt ?? 0) < Date.now()) {
    const unchanged = sql`${syncJobRuns.unchanged} - ${await seenDuplicates(services, run.id)}`
    await services.atomic.run([
      services.db
        .update(syncJobRuns)
        .set({ ...finishPatch('cancelled'), unchanged, updatedAt: new Date().toISOString() })
        .where(and(eq(syncJobRuns.id, run.id), inArray(syncJobRuns.status, [...UNFINISHED]))),
      forgetSeen(services, run.id),
    ])
  }
  return (await findRun(services, run.id)) ?? run
}
