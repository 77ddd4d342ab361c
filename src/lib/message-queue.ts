/**
 * The parts of a Cloudflare Queue that unimeter uses, typed here (as worker-env.ts types the D1
 * binding) so the Node type-check needs no Workers type package. A producer binding sends
 * (https://developers.cloudflare.com/queues/configuration/javascript-apis/); a consumer's
 * `queue(batch, env, ctx)` handler gets a batch whose messages are each acknowledged or retried,
 * optionally after a delay (https://developers.cloudflare.com/queues/configuration/batching-retries/).
 */

/** A queue's producer binding (`[[queues.producers]]`). */
export interface QueueProducer<Body> {
  /** Up to 100 messages or 256 KB per call (https://developers.cloudflare.com/queues/platform/limits/). */
  sendBatch(messages: ReadonlyArray<{ body: Body; delaySeconds?: number }>): Promise<unknown>
}

/** One message of a batch: its body is whatever a producer sent, so consumers validate it. */
export interface QueueMessage {
  readonly id: string
  readonly body: unknown
  /** Deliveries of this message so far, this one included. */
  readonly attempts: number
  ack(): void
  /** Delivered again after `delaySeconds`, or the consumer's `retry_delay`; counts toward `max_retries`. */
  retry(options?: { delaySeconds?: number }): void
}

/** What a consumer's `queue()` handler is given. */
export interface QueueBatch {
  /** The queue's name, as in wrangler.toml: one Worker may consume several queues. */
  readonly queue: string
  readonly messages: readonly QueueMessage[]
}

/** Per the limits page: at most 100 messages per sendBatch call. */
export const SEND_BATCH_MAX = 100

/**
 * The longest delay a send or retry may ask for. The limits page now says 24 hours; it said 12
 * before, and 12 is within both.
 */
export const MAX_DELAY_SECONDS = 12 * 60 * 60

/** Whole seconds from `now` until `at` (rounded up, so a message is never early), within the limit. */
export function delaySecondsUntil(at: number, now: number): number {
  return Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil((at - now) / 1000)))
}
