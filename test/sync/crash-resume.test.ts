/**
 * kill -9 in the middle of a run: a child process syncs against the real simulator and SQLite
 * file, the vendor stalls on page 4, the child is SIGKILLed, and the test's own gateway resumes
 * the run from its checkpoint — without duplicates, without lost records, without refetching
 * the pages already committed.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit/types'
import { runDueJobs } from '../../src/sync/due-jobs'
import { startTestGateway, TEST_KEY, TEST_TOKEN, walkAll, type TestGateway } from '../support/gateway'
import { createJob, superQueryAll, SYNC_TEST_ENV, USERS_LIST, usersJob, waitForRun } from './support/sync-helpers'

const USERS = 250
const PAGE = 50
const LEASE_MS = 60_000
const ACCOUNT = 'sandbox-claude'
const CHILD = fileURLToPath(new URL('./support/sync-child.ts', import.meta.url))
let g: TestGateway
let sim: RunningSimulator
let child: ChildProcess | undefined

beforeAll(async () => {
  g = await startTestGateway({
    simulator: { users: USERS },
    env: { ...SYNC_TEST_ENV, UNIMETER_SYNC_SCHEDULER: 'off', UNIMETER_SYNC_LEASE_MS: String(LEASE_MS) },
  })
  sim = g.sandbox!.simulators.get('claude')!
})
afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  await g?.close()
})

const usersRequests = () => sim.counts.get('GET /v1/organizations/users') ?? 0

/** Resolves when the simulator has received `n` users-list requests in total. */
function usersRequestNumber(n: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (usersRequests() < n) return
      sim.server.off('request', check)
      resolve()
    }
    // Listeners run after the simulator's own handler, which counts the request.
    sim.server.on('request', check)
    check()
  })
}

it('resumes a run killed with SIGKILL from its last committed page', async () => {
  const job = await createJob(g, usersJob(ACCOUNT, {}, { limit: PAGE }))
  // Pages 1–3 answer; page 4 never does, so the child is certainly mid-run when it is killed.
  sim.faults.add({ fault: { kind: 'hang' }, path: '/v1/organizations/users', skip: 3, times: 1 })
  const stalled = usersRequestNumber(4)
  child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: {
      ...process.env,
      ...SYNC_TEST_ENV,
      UNIMETER_DATABASE_PATH: g.dbPath,
      UNIMETER_ENCRYPTION_KEY: TEST_KEY,
      UNIMETER_ADMIN_TOKEN: TEST_TOKEN,
      UNIMETER_SYNC_LEASE_MS: String(LEASE_MS),
      UNIMETER_LOG_LEVEL: 'error',
      CHILD_CLAUDE_URL: sim.baseUrl,
      CHILD_JOB_ID: job.id,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  await Promise.race([stalled, once(child, 'exit').then(() => Promise.reject(new Error(`the child exited early:\n${output}`)))])
  const exited = once(child, 'exit')
  child.kill('SIGKILL')
  const [, signal] = await exited
  expect(signal).toBe('SIGKILL')
  const runId = JSON.parse(output.split('\n')[0]).run as string

  // What the dead process left: three committed pages, a lease nobody renews.
  const parked = (await g.json(`/sync-job-run/${runId}`)).body
  expect(parked).toMatchObject({ status: 'running', pages_fetched: 3, counts: { added: 3 * PAGE, updated: 0, deleted: 0, unchanged: 0 } })
  expect(await superQueryAll(g, ACCOUNT)).toHaveLength(3 * PAGE)
  // A trigger while the lease is still live returns the same run and leaves it alone.
  const again = await g.json(`/sync-job/${job.id}/run`, { method: 'POST' })
  expect(again).toMatchObject({ status: 200, body: { id: runId, status: 'running' } })

  // Later (the lease has expired): the scheduler's entry point takes the run over.
  sim.faults.clear()
  const before = usersRequests()
  const report = await runDueJobs(g.services, new Date(Date.now() + LEASE_MS + 1_000))
  expect(report.resumed).toEqual([runId])
  const run = await waitForRun(g, runId)
  // Only the pages after the checkpoint were fetched again.
  expect(usersRequests() - before).toBe(USERS / PAGE - 3)
  // The members' pages, then the one page of invites (a `then` list) whose pending ones are users too.
  const live = (await walkAll(g, `${USERS_LIST}?integrated_account_id=${ACCOUNT}&limit=100`)).records
  const total = live.length
  expect(total).toBeGreaterThan(USERS)
  expect(run).toMatchObject({
    status: 'succeeded',
    pages_fetched: USERS / PAGE + 1,
    counts: { added: total, updated: 0, deleted: 0, unchanged: 0 },
  })

  const local = await superQueryAll(g, ACCOUNT)
  expect(local).toHaveLength(total)
  expect(new Set(local.map((r) => r.id)).size).toBe(total)
  expect(local.map((r) => r.id).sort()).toEqual(live.map((r) => r.id).sort())
})
