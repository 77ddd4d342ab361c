/**
 * Start-up order (src/runtime/node/start-gateway.ts): the server listens before the sandbox's
 * simulators start, so /health answers early; any other request that arrives meanwhile waits for
 * start-up to finish and gets the answer it would have got after it, never a sandbox_unavailable.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { startGateway, type RunningGateway } from '../../src/runtime/node/start-gateway'
import { TEST_KEY, TEST_TOKEN } from '../support/gateway'

const dir = mkdtempSync(join(tmpdir(), 'unimeter-start-order-'))
let gateway: RunningGateway | undefined

afterAll(async () => {
  await gateway?.close()
  rmSync(dir, { recursive: true, force: true })
})

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

it('answers /health before the sandbox is up, and holds a sandbox list until it is', async () => {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  let settled = false
  // Simulators of many users take a while to generate: the window this test needs.
  const starting = startGateway({
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      UNIMETER_DATABASE_PATH: join(dir, 'unimeter.db'),
      UNIMETER_ADMIN_TOKEN: TEST_TOKEN,
      UNIMETER_ENCRYPTION_KEY: TEST_KEY,
      UNIMETER_SANDBOX: 'on',
      UNIMETER_LOG_LEVEL: 'warn',
    },
    simulatorOptions: { users: 2_000 },
  }).finally(() => (settled = true))
  let health = 0
  while (health !== 200 && !settled) {
    health = await fetch(`${url}/health`).then(
      (res) => res.status,
      () => new Promise<number>((resolve) => setTimeout(() => resolve(0), 2)),
    )
  }
  // /health answered while start-up was still under way.
  expect(health).toBe(200)
  expect(settled).toBe(false)
  const list = await fetch(`${url}/unified/usage-metering/users?integrated_account_id=sandbox-claude&limit=2`, {
    headers: { authorization: `Bearer ${TEST_TOKEN}` },
  })
  expect(settled).toBe(true)
  expect(list.status).toBe(200)
  expect(((await list.json()) as { result: unknown[] }).result).toHaveLength(2)
  gateway = await starting
}, 120_000)
