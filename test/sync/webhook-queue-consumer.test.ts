/**
 * The delivery queue's rules on a real gateway (SQLite file, loopback receivers), with the queue
 * itself reduced to what the code sees of it: a producer that keeps what it was sent, and
 * messages that record ack/retry (test/workers/webhook-queue.test.ts runs the real local queue
 * under wrangler dev). Covered here: one message per delivery and no pump; a message early or
 * repeated never sends; the cron's sweep and a message never send the same attempt; the sweep
 * leaves deliveries to their messages until they are overdue by the lost-after age.
 */
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { webhookDeliveries } from '../../src/db/schema'
import type { QueueMessage } from '../../src/lib/message-queue'
import { consumeDeliveryMessages } from '../../src/webhooks/delivery-consumer'
import { claimDelivery, pumpDeliveries } from '../../src/webhooks/delivery-pump'
import type { DeliveryMessage } from '../../src/webhooks/delivery-queue'
import { startTestGateway, type TestGateway } from '../support/gateway'
import { startReceiver, type Receiver } from './support/receiver'

const LOST_AFTER_MS = 60_000
let g: TestGateway
let flaky: Receiver
let broken: Receiver
const sent: DeliveryMessage[] = []
const deadLetters: DeliveryMessage[] = []

beforeAll(async () => {
  g = await startTestGateway({
    sandbox: false,
    env: {
      UNIMETER_SYNC_SCHEDULER: 'off',
      UNIMETER_ALLOW_PRIVATE_URLS: 'true',
      UNIMETER_WEBHOOK_MAX_ATTEMPTS: '2',
      UNIMETER_WEBHOOK_RETRY_BASE_MS: '20',
      UNIMETER_WEBHOOK_RETRY_MAX_MS: '40',
      UNIMETER_WEBHOOK_QUEUE_LOST_AFTER_MS: String(LOST_AFTER_MS),
    },
  })
  // As the Worker's gateway wires its queue bindings (src/runtime/workers/worker-gateway.ts).
  g.services.deliveryQueue = {
    deliveries: { sendBatch: async (messages) => void sent.push(...messages.map((m) => m.body)) },
    deadLetters: { sendBatch: async (messages) => void deadLetters.push(...messages.map((m) => m.body)) },
  }
  flaky = await startReceiver((_body, received) => (received.length < 1 ? 500 : 200))
  broken = await startReceiver(() => 503)
})
afterAll(async () => {
  await g?.close()
  await flaky?.close()
  await broken?.close()
})

interface Recorded extends QueueMessage {
  acked: boolean
  retries: Array<number | undefined>
}
function message(body: unknown): Recorded {
  const m: Recorded = {
    id: crypto.randomUUID(),
    body,
    attempts: 1,
    acked: false,
    retries: [],
    ack: () => void (m.acked = true),
    retry: (options) => void m.retries.push(options?.delaySeconds),
  }
  return m
}
const post = (path: string, body: unknown) =>
  g.json(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
const deliveriesOf = async (webhookId: string) => (await g.json(`/webhook/${webhookId}/deliveries`)).body.result
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))
/** As if the delivery had been due for `ms` (its message lost that long ago). */
const dueFor = (id: string, ms: number) =>
  g.services.db
    .update(webhookDeliveries)
    .set({ nextAttemptAt: Date.now() - ms })
    .where(eq(webhookDeliveries.id, id))

describe('webhook deliveries through a queue', () => {
  it('queues one message per delivery, retries by the row, and never sends an attempt twice', async () => {
    const hook = await post('/webhook', { target_url: flaky.url, event_types: ['sync_job_run:failed'] })
    await g.services.events.emit('sync_job_run:failed', { id: 'run-q' }, { id: 'evt_queued' })
    const [delivery] = await deliveriesOf(hook.body.id)
    expect(sent).toEqual([{ delivery_id: delivery.id }])
    // The message sends it, not the pump.
    expect(g.services.webhookPump.running).toBeUndefined()
    expect(flaky.received).toHaveLength(0)

    const first = message(sent[0])
    await consumeDeliveryMessages(g.services, [first])
    expect(flaky.received.map((r) => r.status)).toEqual([500])
    expect(first.acked).toBe(false)
    // Whole seconds up to the row's next attempt, 20 ms away (0 once that has passed).
    expect(first.retries).toEqual([expect.any(Number)])
    expect(first.retries[0]).toBeLessThanOrEqual(1)
    expect((await deliveriesOf(hook.body.id))[0]).toMatchObject({ status: 'pending', attempts: 1 })

    // Back before the row's next attempt (5 s away): retried for then, nothing sent.
    await dueFor(delivery.id, -5_000)
    const early = message(sent[0])
    await consumeDeliveryMessages(g.services, [early])
    expect(early).toMatchObject({ acked: false, retries: [5] })
    expect(flaky.received).toHaveLength(1)

    // Held by another sender (the cron's sweep, say): the message waits, nothing sent.
    await dueFor(delivery.id, 0)
    expect(await claimDelivery(g.services, delivery.id, Date.now())).toMatchObject({ id: delivery.id })
    const held = message(sent[0])
    await consumeDeliveryMessages(g.services, [held])
    // Until the claim lapses (three receiver timeouts), not at once.
    expect(held.retries).toEqual([expect.any(Number)])
    expect(held.retries[0]).toBeGreaterThanOrEqual(1)
    // Nor may the sweep send what a message holds, however overdue.
    await dueFor(delivery.id, LOST_AFTER_MS * 10)
    await pumpDeliveries(g.services)
    expect(flaky.received).toHaveLength(1)
  })

  it('lets the sweep send only deliveries overdue by the lost-after age; their message then acks without sending', async () => {
    const hook = await post('/webhook', { target_url: flaky.url, event_types: ['sync_job_run:started'] })
    await g.services.events.emit('sync_job_run:started', { id: 'run-s' }, { id: 'evt_swept' })
    const [delivery] = await deliveriesOf(hook.body.id)
    const before = flaky.received.length

    // Due, but its message may still be on the way: left to it.
    await dueFor(delivery.id, LOST_AFTER_MS / 2)
    await pumpDeliveries(g.services)
    expect(flaky.received).toHaveLength(before)
    await dueFor(delivery.id, LOST_AFTER_MS + 1_000)
    await pumpDeliveries(g.services)
    expect(flaky.received.slice(before).map((r) => [r.body.id, r.status])).toEqual([['evt_swept', 200]])
    expect((await deliveriesOf(hook.body.id))[0]).toMatchObject({ status: 'delivered', attempts: 1 })

    const late = message(sent.find((m) => m.delivery_id === delivery.id))
    await consumeDeliveryMessages(g.services, [late])
    expect(late).toMatchObject({ acked: true, retries: [] })
    expect(flaky.received).toHaveLength(before + 1)
  })

  it('dead-letters a delivery failed after the max attempts, and acks a message that names no delivery', async () => {
    const hook = await post('/webhook', { target_url: broken.url, event_types: ['sync_job_run:completed'] })
    await g.services.events.emit('sync_job_run:completed', { id: 'run-d' }, { id: 'evt_dead' })
    const [delivery] = await deliveriesOf(hook.body.id)
    const body = sent.find((m) => m.delivery_id === delivery.id)
    const first = message(body)
    await consumeDeliveryMessages(g.services, [first])
    expect(first).toMatchObject({ acked: false, retries: [expect.any(Number)] })
    await pause(60)
    const last = message(body)
    await consumeDeliveryMessages(g.services, [last])
    expect(last).toMatchObject({ acked: true, retries: [] })
    expect(broken.received).toHaveLength(2)
    expect((await deliveriesOf(hook.body.id))[0]).toMatchObject({ status: 'failed', attempts: 2, last_status_code: 503 })
    expect(deadLetters).toEqual([{ delivery_id: delivery.id }])

    const junk = message({ nope: true })
    await consumeDeliveryMessages(g.services, [junk])
    expect(junk).toMatchObject({ acked: true, retries: [] })
    expect(broken.received).toHaveLength(2)
  })
})
