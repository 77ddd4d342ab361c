/**
 * POST /admin/rotate-encryption-key on a real gateway and SQLite file: accounts and webhooks
 * sealed under key 1, then gateways restarted with key 2 rotate them in batches through the API
 * (admin tokens only), across a restart in the middle; a gateway holding key 2 alone then opens
 * every credential and signing secret. A misconfigured rotation answers 422 and changes nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { integratedAccounts, webhooks } from '../../src/db/schema'
import { createWebhook, openSecret } from '../../src/webhooks/webhook-store'
import { startTestGateway, type TestGateway } from '../support/gateway'

const KEY1 = Buffer.alloc(32, 11).toString('base64')
const KEY2 = Buffer.alloc(32, 12).toString('hex')
const WRONG = Buffer.alloc(32, 13).toString('base64')
const ROTATE = '/admin/rotate-encryption-key'
const ACCOUNTS = 7
const WEBHOOKS = 2

let dir: string
let dbPath: string
const open = new Set<TestGateway>()
const credentials = new Map<string, string>()
const secrets = new Map<string, string>()

async function gateway(env: Record<string, string>): Promise<TestGateway> {
  const g = await startTestGateway({ sandbox: false, env: { UNIMETER_DATABASE_PATH: dbPath, UNIMETER_SYNC_SCHEDULER: 'off', ...env } })
  open.add(g)
  return g
}

async function stop(g: TestGateway): Promise<void> {
  open.delete(g)
  await g.close()
}

/** The sealed columns of every row, to show a refused rotation wrote nothing. */
async function sealedState(g: TestGateway) {
  const accounts = await g.services.db.select().from(integratedAccounts)
  const hooks = await g.services.db.select().from(webhooks)
  return [...accounts, ...hooks].map((r) => [r.id, r.keyVersion, r.secretIv, r.secretCiphertext]).sort()
}

const rotate = (g: TestGateway, query = '') => g.json(`${ROTATE}${query}`, { method: 'POST' })
const DURING = { UNIMETER_ENCRYPTION_KEY: KEY2, UNIMETER_ENCRYPTION_KEY_VERSION: '2', UNIMETER_PREVIOUS_ENCRYPTION_KEYS: `1:${KEY1}` }

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'unimeter-rotation-route-'))
  dbPath = join(dir, 'unimeter.db')
  const g = await gateway({ UNIMETER_ENCRYPTION_KEY: KEY1 })
  const connector = g.services.connectors.get('claude')!
  for (let i = 0; i < ACCOUNTS; i++) {
    const apiKey = `sk-ant-admin01-rotation-${i}`
    const row = await g.services.accounts.create({ connector, context: { api_key: apiKey } })
    credentials.set(row.id, apiKey)
  }
  for (let i = 0; i < WEBHOOKS; i++) {
    const { row, secret } = await createWebhook(g.services, {
      targetUrl: `http://127.0.0.1:9/hook-${i}`,
      eventTypes: ['*'],
      isActive: false,
    })
    secrets.set(row.id, secret)
  }
  await stop(g)
})

afterAll(async () => {
  for (const g of [...open]) await g.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('POST /admin/rotate-encryption-key', () => {
  it('names a key version that is not configured, or does not decrypt, and changes nothing (422)', async () => {
    const missing = await gateway({ UNIMETER_ENCRYPTION_KEY: KEY2, UNIMETER_ENCRYPTION_KEY_VERSION: '2' })
    const before = await sealedState(missing)
    const refused = await rotate(missing)
    expect(refused.status).toBe(422)
    expect(refused.body).toMatchObject({ statusCode: 422, code: 'encryption_key_missing' })
    expect(refused.body.message).toMatch(/key version\(s\) 1, which are not configured.*UNIMETER_PREVIOUS_ENCRYPTION_KEYS/)
    expect(await sealedState(missing)).toEqual(before)
    await stop(missing)

    const wrong = await gateway({ ...DURING, UNIMETER_PREVIOUS_ENCRYPTION_KEYS: `1:${WRONG}` })
    const mismatch = await rotate(wrong)
    expect(mismatch.status).toBe(422)
    expect(mismatch.body).toMatchObject({ code: 'encryption_key_mismatch', message: expect.stringMatching(/version 1 does not decrypt/) })
    expect(await sealedState(wrong)).toEqual(before)
    await stop(wrong)
  })

  it('is for admin tokens only, and checks its limit', async () => {
    const g = await gateway(DURING)
    const before = await sealedState(g)
    const { token } = (
      await g.json('/api-token', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'writer', role: 'write' }),
      })
    ).body
    const asWriter = await fetch(`${g.url}${ROTATE}`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })
    expect(asWriter.status).toBe(403)
    expect(await asWriter.json()).toMatchObject({ code: 'forbidden', message: expect.stringContaining('role admin') })
    expect((await fetch(`${g.url}${ROTATE}`, { method: 'POST' })).status).toBe(401)
    for (const limit of ['0', '501', 'ten']) expect((await rotate(g, `?limit=${limit}`)).status, limit).toBe(400)
    expect(await sealedState(g)).toEqual(before)
    await stop(g)
  })

  it('re-seals in batches, continues after a restart, and leaves key 2 alone enough', async () => {
    const first = await gateway(DURING)
    const one = await rotate(first, '?limit=3')
    expect(one.status, JSON.stringify(one.body)).toBe(200)
    expect(one.body).toEqual({
      current_key_version: 2,
      reencrypted: { integrated_accounts: 3, webhooks: 0 },
      key_versions: { integrated_accounts: { 1: ACCOUNTS - 3, 2: 3 }, webhooks: { 1: WEBHOOKS } },
      remaining: ACCOUNTS + WEBHOOKS - 3,
      done: false,
    })
    await stop(first)

    // Another process (a Worker isolate, a restarted gateway) picks up where the last call stopped.
    const second = await gateway(DURING)
    const two = await rotate(second, '?limit=5')
    expect(two.body).toMatchObject({ reencrypted: { integrated_accounts: ACCOUNTS - 3, webhooks: 1 }, remaining: 1, done: false })
    const three = await rotate(second)
    expect(three.body).toEqual({
      current_key_version: 2,
      reencrypted: { integrated_accounts: 0, webhooks: 1 },
      key_versions: { integrated_accounts: { 2: ACCOUNTS }, webhooks: { 2: WEBHOOKS } },
      remaining: 0,
      done: true,
    })
    // Once done, calling again is harmless: nothing to re-seal.
    expect((await rotate(second)).body).toMatchObject({ reencrypted: { integrated_accounts: 0, webhooks: 0 }, done: true })
    await stop(second)

    const after = await gateway({ UNIMETER_ENCRYPTION_KEY: KEY2, UNIMETER_ENCRYPTION_KEY_VERSION: '2' })
    for (const row of await after.services.db.select().from(integratedAccounts)) {
      expect((await after.services.accounts.open(row)).credentials.api_key).toBe(credentials.get(row.id))
    }
    for (const row of await after.services.db.select().from(webhooks))
      expect(await openSecret(after.services, row)).toBe(secrets.get(row.id))
    await stop(after)
  })
})
