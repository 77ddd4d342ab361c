/**
 * Sends pending deliveries: claims the due ones (so two processes never send the same one at
 * once), POSTs them signed, and records the outcome — delivered on a 2xx, otherwise retried with
 * exponential backoff until the attempts run out. The next due retry is woken by a timer in
 * this process; after a restart, runDueJobs picks up whatever is still pending.
 *
 * With a delivery queue (Workers, src/webhooks/delivery-queue.ts) each delivery's message sends
 * it (claimDelivery + attemptDelivery, the same claim and attempt) and times its retries: the
 * pump then only sweeps up deliveries overdue by UNIMETER_WEBHOOK_QUEUE_LOST_AFTER_MS (their
 * message was lost) and sets no wake-up timer.
 */
import { and, asc, eq, inArray, isNull, lt, lte, min, or } from 'drizzle-orm'
import { webhookDeliveries, webhooks, type WebhookDeliveryRow } from '../db/schema'
import { assertPublicUrl } from '../engine/url-policy'
import type { GatewayServices } from '../services'
import { signatureHeader } from './signature'
import { openSecret } from './webhook-store'

const MAX_RESPONSE_BYTES = 1024 * 1024
const ERROR_TEXT_LIMIT = 500

/** This process's pump (`services.webhookPump`): whether it is running, and its wake-up timer. */
export interface DeliveryPump {
  running?: Promise<void>
  again: boolean
  /** Epoch ms of the wake-up timer already set, to avoid piling up timers. */
  wakeAt?: number
}

export const idleDeliveryPump = (): DeliveryPump => ({ again: false })

/** Starts a pump in the background unless one is running (which then goes round once more). */
export function kickDeliveries(services: GatewayServices): void {
  const host = services.syncHost
  if (host.closing) return
  const s = services.webhookPump
  if (s.running) {
    s.again = true
    return
  }
  const loop = async () => {
    do {
      s.again = false
      await pumpDeliveries(services)
    } while (s.again && !host.closing)
  }
  s.running = loop().finally(() => (s.running = undefined))
  host.track(s.running, 'webhook deliveries')
}

/** Backoff before attempt `attempts + 1`: base·2^(attempts−1), capped, plus up to 10% jitter. */
function retryDelay(attempts: number, baseMs: number, maxMs: number): number {
  const plain = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1))
  return Math.round(plain + Math.random() * plain * 0.1)
}

/** Held for longer than one attempt can take, so a crashed sender's claims lapse on their own. */
const claimHoldMs = (services: GatewayServices) => services.syncHost.settings.UNIMETER_WEBHOOK_TIMEOUT_MS * 3

/** Pending, due by `dueBy`, and held by no sender at `now`. */
const claimable = (now: number, dueBy = now) =>
  and(
    eq(webhookDeliveries.status, 'pending'),
    lte(webhookDeliveries.nextAttemptAt, dueBy),
    or(isNull(webhookDeliveries.claimedUntil), lt(webhookDeliveries.claimedUntil, now)),
  )

async function claim(services: GatewayServices, now: number, limit: number, dueBy = now): Promise<WebhookDeliveryRow[]> {
  const due = claimable(now, dueBy)
  const ids = services.db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(due)
    .orderBy(asc(webhookDeliveries.nextAttemptAt))
    .limit(limit)
  return services.db
    .update(webhookDeliveries)
    .set({ claimedUntil: now + claimHoldMs(services) })
    .where(and(inArray(webhookDeliveries.id, ids), due))
    .returning()
}

/**
 * Claims one delivery for one attempt (a queue message's), on the same terms as the pump's
 * claim: undefined when it is not pending, not yet due, or another sender holds it.
 */
export async function claimDelivery(services: GatewayServices, id: string, now: number): Promise<WebhookDeliveryRow | undefined> {
  const rows = await services.db
    .update(webhookDeliveries)
    .set({ claimedUntil: now + claimHoldMs(services) })
    .where(and(eq(webhookDeliveries.id, id), claimable(now)))
    .returning()
  return rows[0]
}

/** The row's state after an attempt. */
export type AttemptOutcome = Pick<WebhookDeliveryRow, 'status' | 'attempts' | 'nextAttemptAt' | 'lastError'>

/** One attempt of a claimed delivery; records and returns the row's new state. */
export async function attemptDelivery(services: GatewayServices, delivery: WebhookDeliveryRow): Promise<AttemptOutcome> {
  const { settings } = services.syncHost
  const webhook = (await services.db.select().from(webhooks).where(eq(webhooks.id, delivery.webhookId)).limit(1))[0]
  const attempts = delivery.attempts + 1
  let statusCode: number | null = null
  let error: string | null = null
  if (!webhook || !webhook.isActive) {
    error = 'the webhook was deactivated before this event could be delivered'
  } else {
    try {
      const allowPrivate = services.settings.UNIMETER_ALLOW_PRIVATE_URLS
      // Checked again at send time: the name may resolve elsewhere than when the webhook was saved.
      await assertPublicUrl(webhook.targetUrl, services.settings, { label: 'target_url' })
      const res = await services.engine.transport({
        method: 'POST',
        url: webhook.targetUrl,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'truto',
          'x-truto-signature': await signatureHeader(await openSecret(services, webhook), delivery.body),
        },
        body: delivery.body,
        timeoutMs: settings.UNIMETER_WEBHOOK_TIMEOUT_MS,
        maxBytes: MAX_RESPONSE_BYTES,
        publicOnly: !allowPrivate,
      })
      statusCode = res.status
      if (res.status < 200 || res.status >= 300) error = `the receiver answered ${res.status}: ${res.body.slice(0, ERROR_TEXT_LIMIT)}`
    } catch (err) {
      error = (err as Error).message.slice(0, ERROR_TEXT_LIMIT)
    }
  }
  const now = Date.now()
  const final = error === null || attempts >= settings.UNIMETER_WEBHOOK_MAX_ATTEMPTS || !webhook?.isActive
  const outcome: AttemptOutcome = {
    status: error === null ? 'delivered' : final ? 'failed' : 'pending',
    attempts,
    nextAttemptAt: final
      ? now
      : now + retryDelay(attempts, settings.UNIMETER_WEBHOOK_RETRY_BASE_MS, settings.UNIMETER_WEBHOOK_RETRY_MAX_MS),
    lastError: error,
  }
  await services.db
    .update(webhookDeliveries)
    .set({
      status: outcome.status,
      attempts,
      nextAttemptAt: outcome.nextAttemptAt,
      claimedUntil: null,
      lastStatusCode: statusCode,
      lastError: error,
      deliveredAt: error === null ? new Date(now).toISOString() : null,
      updatedAt: new Date(now).toISOString(),
    })
    .where(eq(webhookDeliveries.id, delivery.id))
  if (error !== null) services.logger.debug('webhook delivery failed', { delivery: delivery.id, attempts, final, error })
  return outcome
}

/** Sets a timer for the earliest pending retry of this process's database. */
async function scheduleWakeUp(services: GatewayServices): Promise<void> {
  const next = (
    await services.db
      .select({ at: min(webhookDeliveries.nextAttemptAt) })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.status, 'pending'))
  )[0]?.at
  if (next === null || next === undefined) return
  const state = services.webhookPump
  const now = Date.now()
  if (state.wakeAt !== undefined && state.wakeAt > now && state.wakeAt <= next) return
  state.wakeAt = next
  services.syncHost.later(Math.max(0, next - now), () => {
    if (state.wakeAt === next) state.wakeAt = undefined
    kickDeliveries(services)
  })
}

/** Sends every delivery due by now (in batches of the configured concurrency). */
export async function pumpDeliveries(services: GatewayServices, now = Date.now()): Promise<void> {
  const host = services.syncHost
  const { UNIMETER_WEBHOOK_CONCURRENCY: batch, UNIMETER_WEBHOOK_QUEUE_LOST_AFTER_MS: lostAfter } = host.settings
  const queued = services.deliveryQueue !== undefined
  let at = now
  while (!host.closing) {
    const claimed = await claim(services, at, batch, queued ? at - lostAfter : at)
    if (claimed.length === 0) break
    await Promise.all(claimed.map((d) => attemptDelivery(services, d)))
    at = Math.max(at, Date.now())
  }
  if (!host.closing && !queued) await scheduleWakeUp(services)
}
