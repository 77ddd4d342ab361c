/**
 * Webhooks against real loopback receivers: signed deliveries in the contract's body, retries
 * with backoff after failures, delivery records, giving up after the last attempt, event ids
 * that dedupe, the secret shown once, and the URL policy.
 */
import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit/types'
import { startTestGateway, type TestGateway } from '../support/gateway'
import { startReceiver, type Receiver } from './support/receiver'
import { createJob, runToEnd, MEMBERS_ONLY, SYNC_TEST_ENV, usersJob } from './support/sync-helpers'

const USERS = 30
const MAX_ATTEMPTS = 4
let g: TestGateway
let sim: RunningSimulator
let flaky: Receiver
let broken: Receiver

const attemptsOf = (received: { body: any }[], id: string) => received.filter((r) => r.body.id === id).length

beforeAll(async () => {
  g = await startTestGateway({
    simulator: { users: USERS, variant: MEMBERS_ONLY },
    env: {
      ...SYNC_TEST_ENV,
      UNIMETER_SYNC_SCHEDULER: 'off',
      UNIMETER_ALLOW_PRIVATE_URLS: 'true',
      UNIMETER_WEBHOOK_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      UNIMETER_WEBHOOK_RETRY_BASE_MS: '10',
      UNIMETER_WEBHOOK_RETRY_MAX_MS: '40',
    },
  })
  sim = g.sandbox!.simulators.get('claude')!
  // Fails the first two attempts of every event, then accepts.
  flaky = await startReceiver((body, received) => (attemptsOf(received, body.id) < 2 ? 500 : 200))
  broken = await startReceiver(() => 503)
})
afterAll(async () => {
  await g?.close()
  await flaky?.close()
  await broken?.close()
})

const post = (path: string, body: unknown) =>
  g.json(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
const sign = (secret: string, raw: string) => `format=sha256,v=${createHmac('sha256', secret).update(raw).digest('hex')}`

describe('deliveries', () => {
  it('signs every delivery, retries failures with backoff and records each delivery', async () => {
    const hook = await post('/webhook', {
      target_url: flaky.url,
      event_types: ['sync_job_run:started', 'sync_job_run:completed', 'record:created'],
    })
    expect(hook.status).toBe(201)
    const { secret, id: webhookId } = hook.body
    expect(secret).toMatch(/^whsec_[0-9a-f]{64}$/)
    const giveUp = await post('/webhook', { target_url: broken.url, event_types: ['sync_job_run:completed'] })
    const idle = await post('/webhook', { target_url: broken.url, event_types: ['*'], is_active: false })
    expect(idle.body.is_active).toBe(false)

    const job = await createJob(g, usersJob('sandbox-claude'))
    const run = await runToEnd(g, job.id)
    expect(run.counts.added).toBe(USERS)
    const events = USERS + 2
    await flaky.until((r) => r.filter((x) => x.status === 200).length === events)
    await broken.until((r) => r.length === MAX_ATTEMPTS)
    await g.services.syncHost.idle()

    const accepted = flaky.received.filter((r) => r.status === 200)
    expect(new Set(accepted.map((r) => r.body.id)).size).toBe(events)
    for (const r of flaky.received) {
      expect(r.headers['user-agent']).toBe('truto')
      expect(r.headers['content-type']).toBe('application/json')
      expect(r.headers['x-truto-signature']).toBe(sign(secret, r.raw))
      expect(Object.keys(r.body).sort()).toEqual(['created_at', 'event', 'id', 'payload', 'webhook_id'])
      expect(r.body).toMatchObject({
        id: expect.stringMatching(/^evt_[0-9a-f]{32}$/),
        webhook_id: webhookId,
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      })
      // Retries send the very same bytes.
      expect(flaky.received.filter((x) => x.body.id === r.body.id).every((x) => x.raw === r.raw)).toBe(true)
    }
    const byEvent = (name: string) => accepted.filter((r) => r.body.event === name).map((r) => r.body.payload)
    expect(byEvent('sync_job_run:started')).toEqual([expect.objectContaining({ id: run.id, sync_job_id: job.id, status: 'running' })])
    expect(byEvent('sync_job_run:completed')).toEqual([expect.objectContaining({ id: run.id, status: 'succeeded', counts: run.counts })])
    const created = byEvent('record:created')
    expect(created).toHaveLength(USERS)
    expect(created[0]).toMatchObject({
      integrated_account_id: 'sandbox-claude',
      sync_job_id: job.id,
      sync_job_run_id: run.id,
      resource: 'usage-metering/users',
    })
    expect(created[0].record).toMatchObject({
      id: created[0].record_id,
      remote_data: expect.objectContaining({ id: created[0].record_id }),
    })
    expect(broken.received.every((r) => r.body.webhook_id === giveUp.body.id)).toBe(true)

    const records = (await g.json(`/webhook/${webhookId}/deliveries?limit=100`)).body.result
    expect(records).toHaveLength(events)
    for (const d of records)
      expect(d).toMatchObject({
        webhook_id: webhookId,
        status: 'delivered',
        attempts: 3,
        last_status_code: 200,
        last_error: null,
        next_attempt_at: null,
      })
    const failed = (await g.json(`/webhook/${giveUp.body.id}/deliveries`)).body.result
    expect(failed).toEqual([
      expect.objectContaining({ event: 'sync_job_run:completed', status: 'failed', attempts: MAX_ATTEMPTS, last_status_code: 503 }),
    ])
    expect(failed[0].last_error).toMatch(/503/)
    expect((await g.json(`/webhook/${idle.body.id}/deliveries`)).body.result).toEqual([])
    const page = await g.json(`/webhook/${webhookId}/deliveries?limit=5&status=delivered`)
    expect(page.body.result).toHaveLength(5)
    const next = await g.json(
      `/webhook/${webhookId}/deliveries?limit=5&status=delivered&next_cursor=${encodeURIComponent(page.body.next_cursor)}`,
    )
    expect(next.body.result.map((d: any) => d.id)).not.toContain(page.body.result[4].id)

    for (const id of [webhookId, giveUp.body.id, idle.body.id])
      expect((await g.json(`/webhook/${id}`, { method: 'DELETE' })).status).toBe(200)
  })

  it('delivers integrated_account:authentication_error when the vendor refuses the key', async () => {
    const before = flaky.received.length
    const hook = await post('/webhook', { target_url: flaky.url, event_types: ['integrated_account:authentication_error'] })
    sim.faults.add({ fault: { kind: 'status', status: 401 }, path: '/v1/organizations/users', times: 1 })
    expect((await g.json('/unified/usage-metering/users?integrated_account_id=sandbox-claude')).status).toBe(401)
    await flaky.until((r) => r.slice(before).some((x) => x.status === 200))
    const delivered = flaky.received.slice(before).find((x) => x.status === 200)!
    expect(delivered.body).toMatchObject({
      event: 'integrated_account:authentication_error',
      webhook_id: hook.body.id,
      payload: { id: 'sandbox-claude', integration: 'claude' },
    })
    await g.services.syncHost.idle()
    await g.json(`/webhook/${hook.body.id}`, { method: 'DELETE' })
  })

  it('queues an event emitted twice with the same id only once', async () => {
    const hook = await post('/webhook', { target_url: flaky.url, event_types: ['sync_job_run:failed'] })
    for (let i = 0; i < 2; i++)
      await g.services.events.emit('sync_job_run:failed', { id: 'run-x' }, { id: 'evt_replayed', createdAt: '2026-01-02T03:04:05.000Z' })
    await flaky.until((r) => r.some((x) => x.body.id === 'evt_replayed' && x.status === 200))
    await g.services.syncHost.idle()
    const deliveries = (await g.json(`/webhook/${hook.body.id}/deliveries`)).body.result
    expect(deliveries).toEqual([expect.objectContaining({ event_id: 'evt_replayed', status: 'delivered' })])
    expect(flaky.received.find((x) => x.body.id === 'evt_replayed')!.body.created_at).toBe('2026-01-02 03:04:05')
    await g.json(`/webhook/${hook.body.id}`, { method: 'DELETE' })
  })

  it('queues a batch of events once per subscribed event, skipping a repeated id and other types', async () => {
    const hook = await post('/webhook', { target_url: flaky.url, event_types: ['record:deleted'] })
    const at = '2026-01-02T03:04:05.000Z'
    await g.services.events.emitAll([
      { event: 'record:deleted', payload: { record_id: 'b1' }, id: 'evt_batch_1', createdAt: at },
      { event: 'record:created', payload: { record_id: 'b2' }, id: 'evt_batch_2', createdAt: at },
      { event: 'record:deleted', payload: { record_id: 'b3' }, id: 'evt_batch_3', createdAt: at },
      { event: 'record:deleted', payload: { record_id: 'b1' }, id: 'evt_batch_1', createdAt: at },
    ])
    await flaky.until((r) => ['evt_batch_1', 'evt_batch_3'].every((id) => r.some((x) => x.body.id === id && x.status === 200)))
    await g.services.syncHost.idle()
    const deliveries = (await g.json(`/webhook/${hook.body.id}/deliveries`)).body.result
    expect(deliveries.map((d: any) => d.event_id).sort()).toEqual(['evt_batch_1', 'evt_batch_3'])
    expect(flaky.received.find((x) => x.body.id === 'evt_batch_3' && x.status === 200)!.body).toMatchObject({
      event: 'record:deleted',
      payload: { record_id: 'b3' },
      webhook_id: hook.body.id,
    })
    await g.json(`/webhook/${hook.body.id}`, { method: 'DELETE' })
  })
})

describe('webhook API', () => {
  it('shows the secret only on create, and lists, updates and deletes', async () => {
    const created = await post('/webhook', { target_url: flaky.url, event_types: ['record:updated'] })
    const got = await g.json(`/webhook/${created.body.id}`)
    expect(got.body).toEqual({
      id: created.body.id,
      target_url: flaky.url,
      event_types: ['record:updated'],
      is_active: true,
      created_at: created.body.created_at,
      updated_at: created.body.updated_at,
    })
    expect((await g.json('/webhook')).body.result.every((w: any) => w.secret === undefined)).toBe(true)
    const patched = await g.json(`/webhook/${created.body.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event_types: ['*'], is_active: false }),
    })
    expect(patched.body).toMatchObject({ event_types: ['*'], is_active: false })
    expect(patched.body.secret).toBeUndefined()
    expect((await g.json(`/webhook/${created.body.id}`, { method: 'DELETE' })).status).toBe(200)
    expect((await g.json(`/webhook/${created.body.id}`)).body).toMatchObject({ statusCode: 404, code: 'webhook_not_found' })
  })

  it('refuses bad webhooks with a message saying what to fix', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ target_url: flaky.url, event_types: ['user:created'] }, /unknown event type/],
      [{ target_url: flaky.url, event_types: [] }, /at least one event/],
      [{ target_url: 'ftp://example.com/x', event_types: ['*'] }, /must be an https URL/],
      [{ target_url: 'not a url', event_types: ['*'] }, /not a valid absolute URL/],
      [{ event_types: ['*'] }, /target_url/],
    ]
    for (const [body, message] of cases) {
      const res = await post('/webhook', body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.body.message).toMatch(message)
    }
  })
})

describe('URL policy without UNIMETER_ALLOW_PRIVATE_URLS', () => {
  let strict: TestGateway
  beforeAll(async () => {
    strict = await startTestGateway({ sandbox: false, env: { ...SYNC_TEST_ENV, UNIMETER_SYNC_SCHEDULER: 'off' } })
  })
  afterAll(async () => {
    await strict?.close()
  })

  it.each([
    'http://127.0.0.1:9/x',
    'https://127.0.0.1/x',
    'https://localhost/x',
    'https://10.1.2.3/x',
    'https://[::1]/x',
    'https://169.254.169.254/latest',
    'https://[fd00::1]/',
  ])('refuses %s', async (url) => {
    const res = await strict.json('/webhook', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ target_url: url, event_types: ['*'] }),
    })
    expect(res.status).toBe(400)
    expect(res.body).toMatchObject({ statusCode: 400, code: 'url_not_allowed' })
    expect(res.body.message).toMatch(/UNIMETER_ALLOW_PRIVATE_URLS/)
  })

  it('accepts a public https URL', async () => {
    const res = await strict.json('/webhook', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ target_url: 'https://93.184.215.14/hooks', event_types: ['*'], is_active: false }),
    })
    expect(res.status).toBe(201)
  })
})
