/**
 * Webhook deliveries through Cloudflare Queues on real `wrangler dev` (workerd, local D1, the
 * local queues wrangler.toml declares): a new account's `integrated_account:created` event goes
 * to two loopback receivers, one failing its first two attempts and then recovering, one always
 * failing. The Cron Trigger is never fired here, so every send is the queue consumer's: the
 * recovering receiver gets each attempt signed, with the backoff of the settings, and its
 * delivery record says delivered after three attempts; the other ends failed after the max
 * attempts and its message reaches the dead-letter queue (whose consumer logs it).
 */
import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectorModules } from '../../connectors'
import { baseUrlOverrideKey } from '../../src/config/settings'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit/types'
import { CONTRACT_ENV, ContractClient } from '../contract/target'
import { startReceiver, type Receiver } from '../sync/support/receiver'
import { startWranglerDev, type WranglerDev } from './wrangler-dev'

const TOKEN = 'workers-webhook-queue-admin-token'
const KEY = Buffer.alloc(32, 7).toString('base64')
const MAX_ATTEMPTS = 3

const sign = (secret: string, raw: string) => `format=sha256,v=${createHmac('sha256', secret).update(raw).digest('hex')}`

describe('webhook deliveries through a queue, on wrangler dev', () => {
  let sim: RunningSimulator | undefined
  let worker: WranglerDev | undefined
  let flaky: Receiver | undefined
  let broken: Receiver | undefined
  const client = new ContractClient(() => ({
    url: worker!.url,
    token: TOKEN,
    runScheduled: () => Promise.reject(new Error('this test never fires the Cron Trigger')),
    close: async () => {},
  }))

  beforeAll(async () => {
    const neon = connectorModules.find((m) => m.definition.id === 'neon')
    if (!neon?.simulator) throw new Error('no Neon simulator')
    sim = await (await neon.simulator())({})
    flaky = await startReceiver((_body, received) => (received.length < 2 ? 500 : 200))
    broken = await startReceiver(() => 500)
    worker = await startWranglerDev({
      ...CONTRACT_ENV,
      [baseUrlOverrideKey('neon')]: sim.baseUrl,
      UNIMETER_ADMIN_TOKEN: TOKEN,
      UNIMETER_ENCRYPTION_KEY: KEY,
      UNIMETER_WEBHOOK_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      // Queue delays are whole seconds: about 2 s, then 3 s, between attempts.
      UNIMETER_WEBHOOK_RETRY_BASE_MS: '1000',
      UNIMETER_WEBHOOK_RETRY_MAX_MS: '2000',
    })
  }, 120_000)

  afterAll(async () => {
    await worker?.stop()
    await sim?.close()
    await flaky?.close()
    await broken?.close()
  }, 30_000)

  it('sends at once, retries with backoff until the receiver recovers, and dead-letters after the max attempts', async () => {
    const events = ['integrated_account:created']
    const recovering = await client.send('POST', '/webhook', { target_url: flaky!.url, event_types: events })
    expect(recovering.status, recovering.text).toBe(201)
    const failing = await client.send('POST', '/webhook', { target_url: broken!.url, event_types: events })
    expect(failing.status, failing.text).toBe(201)

    const account = await client.send('POST', '/integrated-account', {
      integration: 'neon',
      tenant_id: 'webhook-queue',
      context: { ...sim!.context, ...sim!.credentials },
    })
    expect(account.status, account.text).toBe(201)

    const delivered = await client.pollUntil(`/webhook/${recovering.body.id}/deliveries`, (b) => b.result[0]?.status === 'delivered')
    expect(delivered.body.result, worker!.output()).toEqual([
      expect.objectContaining({
        event: 'integrated_account:created',
        status: 'delivered',
        attempts: MAX_ATTEMPTS,
        last_status_code: 200,
        last_error: null,
        next_attempt_at: null,
      }),
    ])
    expect(flaky!.received.map((r) => r.status)).toEqual([500, 500, 200])
    for (const r of flaky!.received) {
      expect(r.headers['x-truto-signature']).toBe(sign(recovering.body.secret, r.raw))
      // Every attempt sends the row's bytes: the message only named the delivery.
      expect(r.raw).toBe(flaky!.received[0]!.raw)
    }
    expect(flaky!.received[0]!.body).toMatchObject({
      event: 'integrated_account:created',
      webhook_id: recovering.body.id,
      payload: { id: account.body.id, integration: 'neon' },
    })

    const dead = await client.pollUntil(`/webhook/${failing.body.id}/deliveries`, (b) => b.result[0]?.status === 'failed')
    const [record] = dead.body.result
    expect(record).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, last_status_code: 500, next_attempt_at: null })
    expect(broken!.received).toHaveLength(MAX_ATTEMPTS)
    for (const r of broken!.received) expect(r.headers['x-truto-signature']).toBe(sign(failing.body.secret, r.raw))

    // The dead-letter queue's consumer logs the delivery it received.
    const giveUpAt = Date.now() + 20_000
    const deadLettered = () =>
      worker!
        .output()
        .split('\n')
        .some((line) => line.includes('webhook delivery dead-lettered') && line.includes(record.id))
    while (!deadLettered() && Date.now() < giveUpAt) await new Promise((r) => setTimeout(r, 200))
    expect(deadLettered(), worker!.output()).toBe(true)
    // Nothing more was sent meanwhile: the failed delivery's message was not retried again.
    expect(broken!.received).toHaveLength(MAX_ATTEMPTS)
    expect(flaky!.received).toHaveLength(3)
  }, 60_000)
})
