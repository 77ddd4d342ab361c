/**
 * The Worker's `queue()` handler: one Worker consumes every queue wrangler.toml lists under
 * `[[queues.consumers]]`, and each batch says which queue it is from (`batch.queue`), so the
 * consumer is chosen by that name. A queue of another job adds its name and consumer here.
 * https://developers.cloudflare.com/queues/configuration/javascript-apis/#consumer
 */
import type { QueueBatch, QueueMessage } from '../../lib/message-queue'
import type { GatewayServices } from '../../services'
import { consumeDeadLetters, consumeDeliveryMessages } from '../../webhooks/delivery-consumer'
import { consumeSyncQueue, SYNC_QUEUE_NAME } from './sync-queue-consumer'
import type { WorkerEnv } from './worker-env'
import { workerGateway } from './worker-gateway'

type QueueConsumer = (services: GatewayServices, messages: readonly QueueMessage[]) => Promise<void>

/** Queue names as in wrangler.toml (`npx wrangler queues create <name>`). */
export const QUEUE_CONSUMERS: Readonly<Record<string, QueueConsumer>> = {
  'unimeter-webhooks': consumeDeliveryMessages,
  'unimeter-webhooks-dlq': consumeDeadLetters,
  [SYNC_QUEUE_NAME]: consumeSyncQueue,
}

/** Resolves once every message of the batch is acked or retried (the invocation lasts until then). */
export async function dispatchQueueBatch(batch: QueueBatch, env: WorkerEnv): Promise<void> {
  const consume = Object.hasOwn(QUEUE_CONSUMERS, batch.queue) ? QUEUE_CONSUMERS[batch.queue] : undefined
  // Thrown, every message is retried and, after max_retries, dead-lettered: none is lost.
  if (!consume) throw new Error(`No consumer for queue ${batch.queue}: src/runtime/workers/queue-dispatch.ts names each one`)
  const { services } = await workerGateway(env)
  await consume(services, batch.messages)
}
