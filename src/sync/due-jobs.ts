/**
 * The scheduler's one entry point, the same for Node's in-process croner tick and a Workers
 * Cron Trigger: start the runs that are due, resume runs whose runner died, emit events left in
 * the outbox, and retry webhook deliveries that are due.
 */
import { and, eq, inArray, isNotNull, lte, ne } from 'drizzle-orm'
import { integratedAccounts, syncJobRuns, syncJobs } from '../db/schema'
import type { GatewayServices } from '../services'
import { pumpDeliveries } from '../webhooks/delivery-pump'
import { findJob } from './job-store'
import { leaseIsFree, UNFINISHED } from './lease'
import { dispatchOutbox } from './outbox'
import { executeRun } from './runner'
import { nextRunAfter } from './schedule'
import { triggerRun } from './trigger'

interface DueReport {
  /** Runs started for a schedule. */
  started: string[]
  /** Abandoned runs this call took over. */
  resumed: string[]
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
 * Resolves once everything it started has finished (a Worker hands the promise to waitUntil;
 * Node's tick does not wait for it).
 */
export async function runDueJobs(services: GatewayServices, now: Date = new Date()): Promise<DueReport> {
  const host = services.syncHost
  const report: DueReport = { started: [], resumed: [] }
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
    work.push(executeRun(services, id, at))
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
  for (const job of due) {
    if (!job.schedule || job.nextRunAt === null || !(await claimDueJob(services, job.id, job.nextRunAt, job.schedule, now))) continue
    const found = await findJob(services, job.id)
    if (!found) continue
    try {
      const triggered = await triggerRun(services, found, 'schedule', at)
      if (triggered.created) report.started.push(triggered.run.id)
      work.push(triggered.done)
    } catch (err) {
      services.logger.warn('scheduled sync run not started', { job: job.id, error: (err as Error).message })
    }
  }

  work.push(dispatchOutbox(services), pumpDeliveries(services, at))
  await Promise.allSettled(work)
  return report
}
