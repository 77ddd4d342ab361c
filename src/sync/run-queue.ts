/**
 * Sync runs handed to a queue instead of executed by the process that starts them (Workers: the
 * `unimeter-sync` Cloudflare Queue, src/runtime/workers/sync-queue-consumer.ts). The scheduler
 * sends one message per due job, so many accounts sync side by side in as many consumer
 * invocations; an invocation runs one run within a budget and, when the budget is spent, sends
 * the message that continues the run in the next (src/sync/queued-runs.ts).
 *
 * A message is only a hint: the database decides. A run message names the lease owner the run
 * was handed to, so a duplicate (a retried delivery, a second scheduler tick) finds the run
 * leased to another or finished and does nothing; a lost one leaves a lease that lapses, after
 * which the scheduler's recovery of abandoned runs hands the run to the queue again.
 */
import { z } from 'zod'
import type { GatewayServices } from '../services'
import { acquireLease, newLeaseOwner } from './lease'

export const syncQueueMessageSchema = z.discriminatedUnion('kind', [
  /** A scheduled job found due at `at` (its next run was `due_at`): claim it and start its run. */
  z.object({ kind: z.literal('job'), job_id: z.string().min(1), due_at: z.number().int(), at: z.number().int() }),
  /** Start or continue `run_id`, whose lease was handed to `owner`. */
  z.object({ kind: z.literal('run'), run_id: z.string().min(1), owner: z.string().min(1) }),
])

export type SyncQueueMessage = z.infer<typeof syncQueueMessageSchema>

/** Where handed-off runs go; resolves once the messages are stored by the queue. */
export interface SyncRunQueue {
  send(messages: SyncQueueMessage[]): Promise<void>
}

/**
 * Hands run `runId` to the queue (the scheduler's recovery of abandoned runs): its lease passes
 * (free, or held by this process) to a new owner that the message names. A run leased to another
 * runner, or executing here, is left alone.
 */
export async function handOffRun(services: GatewayServices, queue: SyncRunQueue, runId: string, now: number): Promise<void> {
  const host = services.syncHost
  if (host.runs.has(runId)) return
  const owner = newLeaseOwner()
  if (await acquireLease(services, runId, owner, now, host.settings.UNIMETER_SYNC_LEASE_MS, host.owner)) {
    await queue.send([{ kind: 'run', run_id: runId, owner }])
  }
}
