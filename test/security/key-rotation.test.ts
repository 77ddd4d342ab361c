/**
 * Key rotation end to end on one SQLite file: accounts sealed under key 1; a gateway restarted
 * with key 2 (and key 1 as previous) serves old and new rows alike while `rotate-key` re-seals
 * everything; afterwards key 2 alone is enough. Misconfigured rotations change nothing.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { baseUrlOverrideKey } from '../../src/config/settings'
import { rotateEncryptionKey } from '../../src/runtime/node/rotate-key'
import { startTestGateway, type TestGateway } from '../support/gateway'
import { ask } from '../reliability/support/fault-gateway'
import { databaseBytes } from './support/secrets'

const KEY1 = Buffer.alloc(32, 1).toString('base64')
const KEY2 = Buffer.alloc(32, 2).toString('hex')
const WRONG = Buffer.alloc(32, 9).toString('base64')

let dir: string
let dbPath: string
const open: TestGateway[] = []

async function gateway(env: Record<string, string>): Promise<TestGateway> {
  const g = await startTestGateway({ env: { UNIMETER_DATABASE_PATH: dbPath, ...env }, simulator: { users: 4 } })
  open.push(g)
  g.services.env[baseUrlOverrideKey('claude')] = g.sandbox!.simulators.get('claude')!.baseUrl
  return g
}

async function stop(g: TestGateway): Promise<void> {
  open.splice(open.indexOf(g), 1)
  await g.close()
}

async function versions(g: TestGateway): Promise<number[]> {
  const rows = await g.services.db.query.integratedAccounts.findMany()
  return [...new Set(rows.map((r) => r.keyVersion))].sort()
}

const listUsers = (g: TestGateway, account: string) => ask(g, `/unified/usage-metering/users?integrated_account_id=${account}&limit=2`)

let accountV1: string
let claudeKey: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'unimeter-rotation-'))
  dbPath = join(dir, 'unimeter.db')
  const g1 = await gateway({ UNIMETER_ENCRYPTION_KEY: KEY1 })
  claudeKey = g1.sandbox!.simulators.get('claude')!.credentials.api_key
  const created = await ask(g1, '/integrated-account', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ integration: 'claude', context: { api_key: claudeKey } }),
  })
  expect(created.status).toBe(201)
  accountV1 = created.body.id
  expect(await versions(g1)).toEqual([1])
  await stop(g1)
})

afterAll(async () => {
  for (const g of [...open]) await g.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('key rotation', () => {
  it('refuses to run without the old key, and with a wrong old key, changing nothing', async () => {
    const base = { UNIMETER_DATABASE_PATH: dbPath, UNIMETER_ENCRYPTION_KEY: KEY2, UNIMETER_ENCRYPTION_KEY_VERSION: '2' }
    await expect(rotateEncryptionKey(base)).rejects.toThrow(/key version\(s\) 1.*UNIMETER_PREVIOUS_ENCRYPTION_KEYS/)
    await expect(rotateEncryptionKey({ ...base, UNIMETER_PREVIOUS_ENCRYPTION_KEYS: `1:${WRONG}` })).rejects.toThrow(
      /version 1 does not decrypt/,
    )
    await expect(rotateEncryptionKey({ UNIMETER_DATABASE_PATH: dbPath })).rejects.toThrow(/UNIMETER_ENCRYPTION_KEY must hold the new key/)
  })

  it('a gateway without the old key answers with an error envelope, not a crash', async () => {
    const g = await gateway({ UNIMETER_ENCRYPTION_KEY: KEY2, UNIMETER_ENCRYPTION_KEY_VERSION: '2' })
    const answer = await listUsers(g, accountV1)
    expect(answer.status).toBe(500)
    expect(answer.body).toMatchObject({ statusCode: 500, code: expect.any(String), message: expect.any(String) })
    expect(g.logs.join('\n')).toMatch(/key version 1/)
    await stop(g)
  })

  it('both versions decrypt during the change; afterwards the new key alone serves everything', async () => {
    const during = { UNIMETER_ENCRYPTION_KEY: KEY2, UNIMETER_ENCRYPTION_KEY_VERSION: '2', UNIMETER_PREVIOUS_ENCRYPTION_KEYS: `1:${KEY1}` }
    const g = await gateway(during)
    // Old row (version 1) and a row written now (version 2) are both readable.
    expect((await listUsers(g, accountV1)).status).toBe(200)
    const fresh = await ask(g, '/integrated-account', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ integration: 'claude', context: { api_key: claudeKey } }),
    })
    expect(fresh.status).toBe(201)
    expect(await versions(g)).toEqual([1, 2])

    const report = await rotateEncryptionKey({ UNIMETER_DATABASE_PATH: dbPath, ...during })
    expect(report).toMatchObject({ currentVersion: 2, before: { 1: 1 }, reencrypted: 1, after: { 2: expect.any(Number) } })
    expect(Object.keys(report.after)).toEqual(['2'])
    // The running gateway keeps serving both accounts through and after the rewrite.
    expect((await listUsers(g, accountV1)).status).toBe(200)
    expect((await listUsers(g, fresh.body.id)).status).toBe(200)
    expect(databaseBytes(dbPath)).not.toContain(claudeKey)
    await stop(g)

    const after = await gateway({ UNIMETER_ENCRYPTION_KEY: KEY2, UNIMETER_ENCRYPTION_KEY_VERSION: '2' })
    expect(await versions(after)).toEqual([2])
    expect((await listUsers(after, accountV1)).status).toBe(200)
    expect((await listUsers(after, fresh.body.id)).status).toBe(200)
    await stop(after)
  })

  it('`npm run rotate-key` runs the same rotation as a command and reports it', async () => {
    const env = {
      ...process.env,
      UNIMETER_DATABASE_PATH: dbPath,
      UNIMETER_ENCRYPTION_KEY: KEY1,
      UNIMETER_ENCRYPTION_KEY_VERSION: '3',
      UNIMETER_PREVIOUS_ENCRYPTION_KEYS: `2:${KEY2}`,
    }
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/runtime/node/rotate-key.ts'], {
      env,
      timeout: 30_000,
    })
    expect(stdout).toMatch(/re-encrypted \d+ account\(s\) under key version 3/)
    const g = await gateway({ UNIMETER_ENCRYPTION_KEY: KEY1, UNIMETER_ENCRYPTION_KEY_VERSION: '3' })
    expect(await versions(g)).toEqual([3])
    expect((await listUsers(g, accountV1)).status).toBe(200)
    await stop(g)
  })
})
