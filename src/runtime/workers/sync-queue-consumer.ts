/**
 * Workers: the `unimeter-sync` Cloudflare Queue that sync runs are handed to (src/sync/run-queue.ts).
 * The producer is the `SYNC_QUEUE` binding (wrangler.toml `[[queues.producers]]`), wrapped as the
 * engine's SyncRunQueue; the consumer (`[[queues.consumers]]`) gets one message per invocation,
 * so each run has an invocation's CPU, wall-clock and subrequest limits to itself
 * (https://developers.cloudflare.com/workers/platform/limits/,
 * https://developers.cloudflare.com/queues/platform/limits/). Queue API:
 * https://developers.cloudflare.com/queues/configuration/javascript-apis/
 */
import { SEND_BATCH_MAX, type QueueMessage } from '../../lib/message-queue'
import type { GatewayServices } from '../../services'
import { runQueuedMessage } from '../../sync/queued-runs'
import { syncQueueMessageSchema, type SyncRunQueue } from '../../sync/run-queue'
import type { WorkerEnv } from './worker-env'

/** The queue's name, as wrangler.toml declares it; the Worker's queue() handler dispatches on it. */
export const SYNC_QUEUE_NAME = 'unimeter-sync'

/**
 * The run queue from the `SYNC_QUEUE` binding; undefined when the deployment declares none, and
 * its syncs then run inside the Cron Trigger's invocation as before.
 */
export function syncQueueFrom(env: WorkerEnv): SyncRunQueue | undefined {
  const binding = env.SYNC_QUEUE
  if (!binding) return undefined
  return {
    async send(messages) {
      for (let i = 0; i < messages.length; i += SEND_BATCH_MAX) {
        await binding.sendBatch(messages.slice(i, i + SEND_BATCH_MAX).map((body) => ({ body })))
      }
    },
  }
}

/**
 * One consumer invocation: each message acked once done, retried when it failed in a way a
 * later delivery may not (the database unreachable); a malformed one is dropped with an error
 * logged, as no delivery can fix it.
 */
export async function consumeSyncQueue(services: GatewayServices, messages: readonly QueueMessage[]): Promise<void> {
  const queue = services.syncQueue
  if (!queue)
    throw new Error(`The ${SYNC_QUEUE_NAME} queue has a consumer but no producer: declare the SYNC_QUEUE binding in wrangler.toml`)
  await Promise.all(
    messages.map(async (message) => {
      const parsed = syncQueueMessageSchema.safeParse(message.body)
      if (!parsed.success) {
        services.logger.error('malformed sync queue message dropped', { message: message.id, error: parsed.error.message })
        message.ack()
        return
      }
      try {
        await runQueuedMessage(services, queue, parsed.data)
        message.ack()
      } catch (err) {
        services.logger.warn('sync queue message failed; retried', {
          message: message.id,
          attempts: message.attempts,
          error: (err as Error).message,
        })
        message.retry()
      }
    }),
  )
}
