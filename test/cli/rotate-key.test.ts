/**
 * `unimeter rotate-key` through the real CLI against a gateway restarted with a new key: it calls
 * POST /admin/rotate-encryption-key batch after batch until done, reporting each batch.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestGateway, TEST_KEY, type TestGateway } from '../support/gateway'
import { cliFor, killAll } from './support/cli'

const NEW_KEY = Buffer.alloc(32, 31).toString('base64')
let dir: string
let g: TestGateway | undefined

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'unimeter-cli-rotation-'))
  const env = { UNIMETER_DATABASE_PATH: join(dir, 'unimeter.db') }
  const before = await startTestGateway({ sandbox: false, env })
  const connector = before.services.connectors.get('claude')!
  for (let i = 0; i < 5; i++) await before.services.accounts.create({ connector, context: { api_key: `sk-ant-admin01-cli-${i}` } })
  await before.close()
  g = await startTestGateway({
    sandbox: false,
    env: {
      ...env,
      UNIMETER_ENCRYPTION_KEY: NEW_KEY,
      UNIMETER_ENCRYPTION_KEY_VERSION: '2',
      UNIMETER_PREVIOUS_ENCRYPTION_KEYS: `1:${TEST_KEY}`,
    },
  })
})
afterAll(async () => {
  killAll()
  await g?.close()
  rmSync(dir, { recursive: true, force: true })
})

it('re-encrypts batch by batch until done, and refuses a bad batch size', async () => {
  const cli = cliFor(g!)
  const bad = await cli(['rotate-key', '--batch-size', '0'])
  expect(bad.code).toBe(2)
  const rotated = await cli(['rotate-key', '--batch-size', '2'])
  expect(rotated.code, rotated.stderr).toBe(0)
  expect(rotated.stderr.trim().split('\n')).toEqual([
    're-encrypted 2 account(s) and 0 webhook secret(s); 3 left',
    're-encrypted 2 account(s) and 0 webhook secret(s); 1 left',
    're-encrypted 1 account(s) and 0 webhook secret(s); 0 left',
  ])
  expect(JSON.parse(rotated.stdout)).toMatchObject({ current_key_version: 2, key_versions: { integrated_accounts: { 2: 5 } }, done: true })
})
