/**
 * The gateway under load, in its own process (started by load-soak.test.ts with `fork`), so its
 * heap, handles and file descriptors are measured without the test runner's in the way. Driven
 * over the IPC channel: `faults` (on/off), `stats` (after forced GC), `stop`.
 *
 * Not a test file: vitest never collects it (no `.test.ts`), the parent forks it with tsx.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startGateway } from '../../../src/runtime/node/start-gateway'
import type { FaultRule } from '../../../src/sandbox/simulator-kit'
import { SOAK_TOKEN, type FromChild, type ToChild } from './soak-protocol'

/** About 5% of vendor requests fail, in every way the fault suites cover one by one. */
const FAULTS: FaultRule[] = [
  { fault: { kind: 'status', status: 500 }, times: -1, probability: 0.01 },
  { fault: { kind: 'status', status: 503 }, times: -1, probability: 0.008 },
  { fault: { kind: 'rate-limit', retryAfter: '0' }, times: -1, probability: 0.008 },
  { fault: { kind: 'reset' }, times: -1, probability: 0.007 },
  { fault: { kind: 'truncated' }, times: -1, probability: 0.005 },
  { fault: { kind: 'malformed-json' }, times: -1, probability: 0.005 },
  { fault: { kind: 'html-error', status: 502 }, times: -1, probability: 0.005 },
  { fault: { kind: 'hang' }, times: -1, probability: 0.002 },
]

const send = (message: FromChild) => process.send?.(message)

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc
  for (let i = 0; i < 3; i++) collect?.()
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'unimeter-soak-'))
  const errorLogs: string[] = []
  let logLines = 0
  const gateway = await startGateway({
    env: {
      PORT: '0',
      UNIMETER_DATABASE_PATH: join(dir, 'unimeter.db'),
      UNIMETER_ADMIN_TOKEN: SOAK_TOKEN,
      UNIMETER_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64'),
      UNIMETER_SANDBOX: 'on',
      UNIMETER_LOG_LEVEL: 'warn',
      UNIMETER_RETRY_MAX: '2',
      UNIMETER_RETRY_MIN_DELAY_MS: '5',
      UNIMETER_RETRY_MAX_DELAY_MS: '50',
      UNIMETER_VENDOR_TIMEOUT_MS: '1000',
      UNIMETER_REQUEST_DEADLINE_MS: '6000',
      UNIMETER_RATE_LIMIT_TOKEN: '10000000',
      UNIMETER_RATE_LIMIT_ACCOUNT: '10000000',
    },
    // Counted, not kept: a log buffer growing with the load would be measured as a leak.
    logSink: (line) => {
      logLines++
      if (line.includes('"level":"error"') && errorLogs.length < 20) errorLogs.push(line)
    },
    simulatorOptions: { users: 40 },
  })
  const sims = [...(gateway.sandbox?.simulators.values() ?? [])]

  process.on('message', async (message: ToChild) => {
    if (message.type === 'faults') {
      for (const sim of sims) {
        sim.faults.clear()
        if (message.on) sim.faults.add(FAULTS)
      }
    } else if (message.type === 'stats') {
      let vendorRequests = 0
      // The simulators' request logs are test scaffolding living in this process: not the gateway's memory.
      for (const sim of sims) {
        for (const n of sim.counts.values()) vendorRequests += n
        sim.requests.length = 0
        sim.counts.clear()
      }
      gc()
      const handles: Record<string, number> = {}
      for (const h of (process as unknown as { _getActiveHandles(): object[] })._getActiveHandles()) {
        const kind = h.constructor?.name ?? 'unknown'
        handles[kind] = (handles[kind] ?? 0) + 1
      }
      const { heapUsed, rss } = process.memoryUsage()
      send({
        type: 'stats',
        stats: { heapUsed, rss, handles, vendorRequests, fds: readdirSync('/proc/self/fd').length, errorLogs, logLines },
      })
    } else if (message.type === 'stop') {
      await gateway.close()
      rmSync(dir, { recursive: true, force: true })
      send({ type: 'stopped' })
      process.disconnect?.()
    }
  })
  send({ type: 'ready', url: gateway.url, accounts: [...(gateway.sandbox?.accounts.values() ?? [])] })
}

main().catch((err) => {
  console.error(`soak gateway failed to start: ${(err as Error).stack}`)
  process.exit(1)
})
