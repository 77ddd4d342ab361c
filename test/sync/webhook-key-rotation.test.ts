/**
 * Webhook signing secrets are sealed with the encryption key like account credentials, so a
 * key rotation (`rotate-key`) must re-seal them too: after it, a gateway holding only the new
 * key still signs deliveries with the same secret.
 */
import { createHmac } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { rotateEncryptionKey } from '../../src/runtime/node/rotate-key'
import { startTestGateway, TEST_KEY } from '../support/gateway'
import { startReceiver, type Receiver } from './support/receiver'
import { SYNC_TEST_ENV } from './support/sync-helpers'

const NEW_KEY = Buffer.alloc(32, 3).toString('base64')
let dir: string
let receiver: Receiver

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'unimeter-rotation-'))
  receiver = await startReceiver(() => 200)
})
afterAll(async () => {
  await receiver?.close()
  rmSync(dir, { recursive: true, force: true })
})

it('re-seals webhook secrets, which keep signing after the old key is gone', async () => {
  const dbPath = join(dir, 'db.sqlite')
  const env = { ...SYNC_TEST_ENV, UNIMETER_DATABASE_PATH: dbPath, UNIMETER_ALLOW_PRIVATE_URLS: 'true', UNIMETER_SYNC_SCHEDULER: 'off' }
  const before = await startTestGateway({ sandbox: false, env })
  const created = await before.json('/webhook', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ target_url: receiver.url, event_types: ['sync_job_run:failed'] }),
  })
  expect(created.status).toBe(201)
  await before.close()

  const report = await rotateEncryptionKey({
    UNIMETER_DATABASE_PATH: dbPath,
    UNIMETER_ENCRYPTION_KEY: NEW_KEY,
    UNIMETER_ENCRYPTION_KEY_VERSION: '2',
    UNIMETER_PREVIOUS_ENCRYPTION_KEYS: `1:${TEST_KEY}`,
  })
  expect(report.webhookSecrets).toBe(1)

  const after = await startTestGateway({
    sandbox: false,
    env: { ...env, UNIMETER_ENCRYPTION_KEY: NEW_KEY, UNIMETER_ENCRYPTION_KEY_VERSION: '2' },
  })
  try {
    await after.services.events.emit('sync_job_run:failed', { id: 'run-1' })
    await receiver.until((r) => r.length === 1)
    await after.services.syncHost.idle()
    const [delivery] = receiver.received
    expect(delivery.headers['x-truto-signature']).toBe(
      `format=sha256,v=${createHmac('sha256', created.body.secret).update(delivery.raw).digest('hex')}`,
    )
  } finally {
    await after.close()
  }
})
