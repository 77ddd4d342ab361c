/**
 * The scheduler's one entry point, the same for Node's in-process croner tick and a Workers
 * Cron Trigger: start the runs that are due, resume runs whose runner died, emit events left in
 * the outbox, and retry webhook deliveries that are due. With a run queue (Workers), it only
 * sends the due jobs and abandoned runs to the queue, whose consumers run them
 * (src/sync/run-queue.ts).
 */
import { and, eq, inArray, isNotNull, lte, ne } from 'drizzle-orm'
import { integratedAccounts, syncJobRuns, syncJobs } from '../db/schema'
import type { GatewayServices } from '../services'
import { pumpDeliveries } from '../webhooks/delivery-pump'
import { findJob } from './job-store'
import { leaseIsFree, UNFINISHED } from './lease'
import { dispatchOutbox } from './outbox'
import { handOffRun, type SyncRunQueue } from './run-queue'
import { executeRun } from './runner'
import { nextRunAfter } from './schedule'
import { triggerRun, type RunStarter, type Triggered } from './trigger'

interface DueReport {
  /** Runs started for a schedule. */
  started: string[]
  /** Abandoned runs this call took over. */
  resumed: string[]
  /** Due jobs sent to the run queue, whose consumers start their runs. */
  queued: string[]
}

/** A job the scheduler found due: its `next_run_at` when found, and its schedule. */
export interface DueJob {
  id: string
  nextRunAt: number | null
  schedule: string | null
}

/** Claims a due job by moving its next run forward; false when another tick claimed it first. */
async function claimDueJob(services: GatewayServices, jobId: string, dueAt: number, schedule: string, now: Date): Promise<boolean> {
  // From `now`, not from `dueAt`: after downtime a job runs once, not once per missed slot.
  const next = nextRunAfter(schedule, now)
  const rows = await services.db
    .update(syncJobs)
    .set({ nextRunAt: next })
    .where(and(eq(syncJobs.id, jobId), eq(syncJobs.nextRunAt, dueAt)))
    .returning({ id: syncJobs.id })
  return rows.length > 0
}

/**
 * Claims a due job and starts its run with `start` (default: in the background, as a trigger
 * does); undefined when another tick or consumer claimed it first, or the run could not start.
 */
export async function startDueJob(services: GatewayServices, job: DueJob, now: Date, start?: RunStarter): Promise<Triggered | undefined> {
  if (!job.schedule || job.nextRunAt === null || !(await claimDueJob(services, job.id, job.nextRunAt, job.schedule, now))) return undefined
  const found = await findJob(services, job.id)
  if (!found) return undefined
  try {
    return await triggerRun(services, found, 'schedule', now.getTime(), start)
  } catch (err) {
    services.logger.warn('scheduled sync run not started', { job: job.id, error: (err as Error).message })
    return undefined
  }
}

/** One message per due job; the consumer claims it, so a job sent twice still runs once. */
async function queueDueJobs(services: GatewayServices, queue: SyncRunQueue, due: DueJob[], now: Date): Promise<string[]> {
  const ready = due.filter((job) => job.schedule && job.nextRunAt !== null)
  if (ready.length === 0) return []
  await queue.send(ready.map((job) => ({ kind: 'job', job_id: job.id, due_at: job.nextRunAt!, at: now.getTime() })))
  return ready.map((job) => job.id)
}

/**
 * Resolves once everything it started has finished (a Worker hands the promise to waitUntil;
 * Node's tick does not wait for it).
 */
export async function runDueJobs(services: GatewayServices, now: Date = new Date()): Promise<DueReport> {
  const host = services.syncHost
  const report: DueReport = { started: [], resumed: [], queued: [] }
  const queue = services.syncQueue
  if (host.closing) return report
  const at = now.getTime()
  const work: Promise<void>[] = []

  const abandoned = await services.db
    .select({ id: syncJobRuns.id })
    .from(syncJobRuns)
    .where(and(inArray(syncJobRuns.status, [...UNFINISHED]), leaseIsFree(at)))
  for (const { id } of abandoned) {
    if (host.runs.has(id)) continue
    report.resumed.push(id)
    work.push(queue ? handOffRun(services, queue, id, at) : executeRun(services, id, at))
  }

  // Paused jobs (account needs_reauth) stay due and run once the account is fixed.
  const due = await services.db
    .select({ id: syncJobs.id, nextRunAt: syncJobs.nextRunAt, schedule: syncJobs.schedule })
    .from(syncJobs)
    .innerJoin(integratedAccounts, eq(integratedAccounts.id, syncJobs.integratedAccountId))
    .where(
      and(
        eq(syncJobs.isActive, true),
        isNotNull(syncJobs.schedule),
        lte(syncJobs.nextRunAt, at),
        ne(integratedAccounts.status, 'needs_reauth'),
      ),
    )
  if (queue) {
    // Unclaimed until a consumer takes it: a job whose message is lost is still due next tick.
    try {
      report.queued.push(...(await queueDueJobs(services, queue, due, now)))
    } catch (err) {
      services.logger.error('due sync jobs not queued; the next tick sends them again', { error: (err as Error).message })
    }
  } else {
    for (const job of due) {
      const triggered = await startDueJob(services, job, now)
      if (!triggered) continue
      if (triggered.created) report.started.push(triggered.run.id)
      work.push(triggered.done)
    }
  }

  work.push(dispatchOutbox(services), pumpDeliveries(services, at))
  await Promise.allSettled(work)
  return report
}
