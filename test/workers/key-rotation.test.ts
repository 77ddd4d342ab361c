/**
 * Encryption key rotation on real `wrangler dev` (workerd, local D1 kept across restarts), the way
 * SECURITY.md tells an operator to do it on Workers: the Worker starts with key 1 and an account
 * is connected; restarted with key 2 and key 1 as previous, POST /admin/rotate-encryption-key
 * is called until done, one row per call; restarted with key 2 alone it then reads the account's users from the vendor
 * (a Claude simulator on loopback), which needs the credentials opened with key 2. (Refusals,
 * such as key 2 without key 1, are the same code on Node: test/security/key-rotation-route.test.ts.)
 * Three starts of wrangler dev (each builds the bundles again), hence the long timeout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectorModules } from '../../connectors'
import { baseUrlOverrideKey } from '../../src/config/settings'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit/types'
import { CONTRACT_ENV, ContractClient } from '../contract/target'
import { createWranglerState, startWranglerDev, type WranglerDev, type WranglerState } from './wrangler-dev'

const TOKEN = 'workers-rotation-admin-token'
const KEY1 = Buffer.alloc(32, 21).toString('base64')
const KEY2 = Buffer.alloc(32, 22).toString('base64')
const ROTATE = '/admin/rotate-encryption-key'

describe('encryption key rotation on wrangler dev', () => {
  let sim: RunningSimulator | undefined
  let worker: WranglerDev | undefined
  let state: WranglerState | undefined
  const client = new ContractClient(() => ({ url: worker!.url, token: TOKEN, runScheduled: async () => {}, close: async () => {} }))

  /** (Re)starts the Worker on the same local D1 with these keys. */
  async function restart(keys: Record<string, string>): Promise<void> {
    await worker?.stop()
    worker = undefined
    worker = await startWranglerDev(
      { ...CONTRACT_ENV, [baseUrlOverrideKey('claude')]: sim!.baseUrl, UNIMETER_ADMIN_TOKEN: TOKEN, ...keys },
      { state },
    )
  }

  beforeAll(async () => {
    state = await createWranglerState()
    const claude = connectorModules.find((m) => m.definition.id === 'claude')
    if (!claude?.simulator) throw new Error('no Claude simulator')
    sim = await (await claude.simulator())({ users: 3 })
  }, 60_000)

  afterAll(async () => {
    await worker?.stop()
    await sim?.close()
    state?.remove()
  }, 30_000)

  it('rotates from key 1 to key 2 through the API, then serves with key 2 alone', async () => {
    await restart({ UNIMETER_ENCRYPTION_KEY: KEY1 })
    const ids: string[] = []
    for (const tenant of ['acme', 'globex']) {
      const created = await client.send('POST', '/integrated-account', {
        integration: 'claude',
        tenant_id: tenant,
        context: { ...sim!.context, ...sim!.credentials },
      })
      expect(created.status, created.text).toBe(201)
      ids.push(created.body.id as string)
    }
    const users = (id: string) => client.json(`/unified/usage-metering/users?integrated_account_id=${id}&limit=5`)
    const served = await users(ids[0])
    expect(served.status, served.text).toBe(200)

    await restart({ UNIMETER_ENCRYPTION_KEY: KEY2, UNIMETER_ENCRYPTION_KEY_VERSION: '2', UNIMETER_PREVIOUS_ENCRYPTION_KEYS: `1:${KEY1}` })
    const batches = []
    for (let call = 0; call < 5; call++) {
      const batch = await client.json(`${ROTATE}?limit=1`, { method: 'POST' })
      expect(batch.status, batch.text).toBe(200)
      batches.push(batch.body)
      if (batch.body.done) break
    }
    expect(batches.map((b) => b.remaining)).toEqual([1, 0])
    expect(batches.at(-1)).toMatchObject({ current_key_version: 2, key_versions: { integrated_accounts: { 2: 2 } }, done: true })

    await restart({ UNIMETER_ENCRYPTION_KEY: KEY2, UNIMETER_ENCRYPTION_KEY_VERSION: '2' })
    for (const id of ids) {
      const after = await users(id)
      expect(after.status, `${after.text}\n${worker!.output()}`).toBe(200)
      expect(after.body.result).toEqual(served.body.result)
    }
  }, 600_000)
})
