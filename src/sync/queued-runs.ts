/**
 * The consumer side of the run queue (src/sync/run-queue.ts), whatever queue carries it: one
 * message is one invocation of one run, within the invocation budget (src/sync/run-budget.ts).
 * A run whose budget is spent has committed its last page and handed its lease on; the message
 * that continues it is sent here. Everything a message asks is checked against the database
 * first, so a duplicate or stale message does nothing.
 */
import type { GatewayServices } from '../services'
import { startDueJob } from './due-jobs'
import { findJob } from './job-store'
import { invocationBudget } from './run-budget'
import type { SyncQueueMessage, SyncRunQueue } from './run-queue'
import { executeRunWithin, type RunInvocation, type RunOutcome } from './runner'

/** One budgeted invocation of `runId`; when the budget is spent, queues the next. */
export async function continueRun(
  services: GatewayServices,
  queue: SyncRunQueue,
  runId: string,
  invocation: RunInvocation,
): Promise<RunOutcome> {
  const outcome = await executeRunWithin(services, runId, { ...invocation, budget: invocationBudget(services.syncHost.settings) })
  if (outcome.kind !== 'yielded') return outcome
  try {
    await queue.send([{ kind: 'run', run_id: runId, owner: outcome.owner }])
  } catch (err) {
    // The lease handed over lapses unused, and the scheduler resumes the run then: late, not lost.
    services.logger.error('sync run continuation not queued; the scheduler resumes it once its lease lapses', {
      run: runId,
      error: (err as Error).message,
    })
  }
  return outcome
}

/** Does what one queue message asks; throws only when it may succeed if delivered again. */
export async function runQueuedMessage(services: GatewayServices, queue: SyncRunQueue, message: SyncQueueMessage): Promise<void> {
  if (message.kind === 'run') {
    await continueRun(services, queue, message.run_id, { owner: message.owner })
    return
  }
  const found = await findJob(services, message.job_id)
  // Changed since the tick: deactivated, unscheduled, or paused (it stays due until its account is fixed).
  if (!found || !found.job.isActive || found.accountStatus === 'needs_reauth') return
  const job = { id: message.job_id, nextRunAt: message.due_at, schedule: found.job.schedule }
  const triggered = await startDueJob(services, job, new Date(message.at), (s, runId, now) =>
    continueRun(s, queue, runId, { now }).then(() => undefined),
  )
  await triggered?.done
}
