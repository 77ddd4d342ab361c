/**
 * A bounded load and soak run: 64 concurrent clients against the sandbox of every connector for
 * UNIMETER_SOAK_SECONDS (default 15) with about 5% of vendor requests failing. The gateway runs
 * in its own process so its memory, sockets and file descriptors are its own. Afterwards: no
 * gateway 5xx the vendor did not cause, every error well-formed, nothing hung, and heap, sockets
 * and file descriptors back near where they were before the load.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runLoad } from './support/load-clients'
import { SOAK_TOKEN, type ChildStats, type FromChild, type ToChild } from './support/soak-protocol'

const SECONDS = Number(process.env.UNIMETER_SOAK_SECONDS ?? 15)
const CLIENTS = 64
/** Longer than every keep-alive timeout on the way (simulators and gateway: 5 s), so idle sockets are gone. */
const SETTLE_MS = 6_500

/** Sockets and file descriptors must be back within this long after the load ends. */
const RELEASE_BOUND_MS = 25_000

/** Open sockets and descriptors back to the pre-load level (a little slack for the runtime's own). */
const released = (before: ChildStats, after: ChildStats) =>
  (after.handles.Socket ?? 0) <= (before.handles.Socket ?? 0) + 2 && after.fds <= before.fds + 4

let child: ChildProcess
let ready: Extract<FromChild, { type: 'ready' }>

function next<T extends FromChild['type']>(type: T, timeoutMs = 30_000): Promise<Extract<FromChild, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the gateway process sent no '${type}' within ${timeoutMs} ms`)), timeoutMs)
    const onMessage = (m: FromChild) => {
      if (m.type !== type) return
      clearTimeout(timer)
      child.off('message', onMessage)
      resolve(m as Extract<FromChild, { type: T }>)
    }
    child.on('message', onMessage)
  })
}

const tell = (m: ToChild) => child.send(m)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function stats(): Promise<ChildStats> {
  const answer = next('stats')
  tell({ type: 'stats' })
  return (await answer).stats
}

beforeAll(async () => {
  child = fork(fileURLToPath(new URL('./support/gateway-process.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  ready = await next('ready', 60_000)
})

afterAll(async () => {
  if (!child || child.exitCode !== null) return
  const stopped = next('stopped', 15_000).catch(() => undefined)
  tell({ type: 'stop' })
  await stopped
  // Only this test's own child, by its pid, if it did not leave on its own.
  if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL')
})

describe('load and soak', () => {
  it(
    `${CLIENTS} clients for ${SECONDS} s with 5% vendor faults: only vendor-caused 5xx, and the process returns to baseline`,
    async () => {
      const target = { url: ready.url, token: SOAK_TOKEN, accounts: ready.accounts }
      expect(target.accounts.length).toBeGreaterThanOrEqual(4)
      // Warm up (compiled mappings, pools, caches), let idle connections expire, then measure.
      await runLoad(target, 8, 1_500, 1)
      await sleep(SETTLE_MS)
      const before = await stats()

      tell({ type: 'faults', on: true })
      const report = await runLoad(target, CLIENTS, SECONDS * 1000)
      tell({ type: 'faults', on: false })

      // Idle keep-alive sockets close on their own timers: wait for them, within a generous bound.
      await sleep(SETTLE_MS)
      let after = await stats()
      const vendorRequests = after.vendorRequests
      for (let waited = SETTLE_MS; waited < RELEASE_BOUND_MS && !released(before, after); waited += 1000) {
        await sleep(1000)
        after = await stats()
      }

      const summary = JSON.stringify({ requests: report.requests, byStatus: report.byStatus, before, after })
      expect(report.violations, summary).toEqual([])
      expect(report.violationCount).toBe(0)
      // The load really happened and reached the vendors (throughput itself is the benchmarks' business).
      expect(report.requests, summary).toBeGreaterThan(CLIENTS * 2)
      expect(vendorRequests, summary).toBeGreaterThan(report.requests / 2)
      expect(after.errorLogs, summary).toEqual([])
      // Generous bounds (GC is not exact), but a leak of a request's worth of anything per
      // request would blow through them many times over.
      expect(after.heapUsed, summary).toBeLessThan(before.heapUsed * 1.5 + 24 * 1024 * 1024)
      expect(released(before, after), summary).toBe(true)
    },
    (SECONDS + 90) * 1000,
  )
})
