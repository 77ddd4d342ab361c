/**
 * Webhook deliveries through a message queue (Cloudflare Queues on Workers): the delivery row
 * stays the truth — body, attempts, status — and a message only names it, so a lost or repeated
 * message can neither lose nor duplicate an attempt (the consumer claims the row first,
 * src/webhooks/delivery-consumer.ts). Without a queue (Node) new deliveries wake this process's
 * pump, as they always have.
 */
import { z } from 'zod'
import { SEND_BATCH_MAX, type QueueProducer } from '../lib/message-queue'
import type { GatewayServices } from '../services'
import { kickDeliveries } from './delivery-pump'

/** What a delivery message carries: the row's id, never its body (the row holds the exact bytes). */
export const deliveryMessageSchema = z.object({ delivery_id: z.string().min(1) })
export type DeliveryMessage = z.infer<typeof deliveryMessageSchema>

/** The queue bindings a runtime hands buildServices (wrangler.toml `[[queues.producers]]`). */
export interface DeliveryQueue {
  /** The queue whose consumer sends deliveries (binding WEBHOOK_DELIVERIES). */
  deliveries: QueueProducer<DeliveryMessage>
  /** Where a delivery's message goes once the delivery is failed for good (binding WEBHOOK_DEAD_LETTERS). */
  deadLetters?: QueueProducer<DeliveryMessage>
}

/** Sends one message per delivery, at most SEND_BATCH_MAX per call. */
export async function sendDeliveryMessages(queue: QueueProducer<DeliveryMessage>, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += SEND_BATCH_MAX)
    await queue.sendBatch(ids.slice(i, i + SEND_BATCH_MAX).map((id) => ({ body: { delivery_id: id } })))
}

/**
 * New (or redelivered) pending deliveries are ready: their messages are sent, or this process's
 * pump is woken. A failed send loses nothing: the rows stay pending, and the Cron Trigger's
 * sweep sends them once they are overdue by UNIMETER_WEBHOOK_QUEUE_LOST_AFTER_MS.
 */
export async function announceDeliveries(services: GatewayServices, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return
  const queue = services.deliveryQueue
  if (!queue) return kickDeliveries(services)
  try {
    await sendDeliveryMessages(queue.deliveries, ids)
  } catch (err) {
    services.logger.error('webhook delivery messages could not be queued; the cron sweep will send them', {
      deliveries: ids.length,
      error: (err as Error).message,
    })
  }
}
