/**
 * The delivery queue's consumer (Workers: the `queue()` handler, src/runtime/workers/queue-dispatch.ts).
 * Each message names one delivery row; the row decides what happens:
 * - pending and due: claimed (the same claim the pump takes, so the Cron Trigger's sweep or a
 *   duplicate message cannot send the same attempt), sent exactly as the pump sends it
 *   (attemptDelivery), then the message is acked when delivered, retried with `delaySeconds`
 *   up to the row's next attempt when that failed, and dead-lettered once the row is failed;
 * - delivered, failed or gone: acked without sending (a redelivered message, or a sweep that
 *   got there first);
 * - not yet due, or held by another sender: retried for when it may be.
 * Queues delivers at least once, and a message may arrive a little early or late: none of that
 * reaches a receiver twice for one attempt.
 * https://developers.cloudflare.com/queues/configuration/batching-retries/
 */
import { eq } from 'drizzle-orm'
import { webhookDeliveries } from '../db/schema'
import { delaySecondsUntil, type QueueMessage } from '../lib/message-queue'
import type { GatewayServices } from '../services'
import { attemptDelivery, claimDelivery } from './delivery-pump'
import { deliveryMessageSchema } from './delivery-queue'

type Verdict = { ack: true } | { retryAt: number } | { dead: true }

async function settleDelivery(services: GatewayServices, id: string): Promise<Verdict> {
  const now = Date.now()
  const claimed = await claimDelivery(services, id, now)
  if (!claimed) {
    const row = (await services.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id)).limit(1))[0]
    if (!row || row.status !== 'pending') return { ack: true }
    return { retryAt: Math.max(row.nextAttemptAt, row.claimedUntil ?? 0) }
  }
  const outcome = await attemptDelivery(services, claimed)
  if (outcome.status === 'delivered') return { ack: true }
  if (outcome.status === 'failed') return { dead: true }
  return { retryAt: outcome.nextAttemptAt }
}

async function consumeOne(services: GatewayServices, message: QueueMessage): Promise<void> {
  const parsed = deliveryMessageSchema.safeParse(message.body)
  if (!parsed.success) {
    // Retrying cannot make it readable; nothing names a row to lose.
    services.logger.error('webhook delivery message dropped: not a delivery reference', { message: message.id })
    return message.ack()
  }
  const id = parsed.data.delivery_id
  let verdict: Verdict
  try {
    verdict = await settleDelivery(services, id)
  } catch (err) {
    // D1 unreachable, say: the consumer's retry_delay applies, then max_retries and the DLQ.
    services.logger.warn('webhook delivery message retried after an error', { delivery: id, error: (err as Error).message })
    return message.retry()
  }
  if ('retryAt' in verdict) return message.retry({ delaySeconds: delaySecondsUntil(verdict.retryAt, Date.now()) })
  if ('dead' in verdict) {
    try {
      await services.deliveryQueue?.deadLetters?.sendBatch([{ body: { delivery_id: id } }])
    } catch (err) {
      // The row already says failed (and the deliveries API shows it): only the DLQ copy is missing.
      services.logger.error('webhook dead letter could not be queued', { delivery: id, error: (err as Error).message })
    }
  }
  message.ack()
}

/** Settles every message of a batch at once: one slow receiver holds up only its own message. */
export async function consumeDeliveryMessages(services: GatewayServices, messages: readonly QueueMessage[]): Promise<void> {
  await Promise.all(messages.map((m) => consumeOne(services, m)))
}

/**
 * The dead-letter queue's consumer: each dead letter is logged (Workers Logs, `wrangler tail`)
 * with its delivery's state, then acked; the delivery row keeps the full record, and
 * POST /webhook/{id}/deliveries/{delivery_id}/redeliver sends it again. A message the platform
 * dead-lettered because the consumer itself kept failing names a row still pending, which the
 * Cron Trigger's sweep sends.
 */
export async function consumeDeadLetters(services: GatewayServices, messages: readonly QueueMessage[]): Promise<void> {
  for (const message of messages) {
    const parsed = deliveryMessageSchema.safeParse(message.body)
    const id = parsed.success ? parsed.data.delivery_id : undefined
    const row = id ? (await services.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id)).limit(1))[0] : undefined
    services.logger.warn('webhook delivery dead-lettered', {
      delivery: id ?? null,
      webhook: row?.webhookId ?? null,
      status: row?.status ?? null,
      attempts: row?.attempts ?? null,
      last_error: row?.lastError ?? null,
    })
    message.ack()
  }
}
