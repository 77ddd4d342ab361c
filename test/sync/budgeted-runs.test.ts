/**
 * Runs across invocations, as the Workers queue consumer runs them (src/sync/queued-runs.ts),
 * on the real runner, simulators and SQLite file: the scheduler only queues due jobs (one message
 * each, no run started), each message is one invocation with a budget of one page, a spent budget
 * commits its page, hands the lease over and queues the continuation. The end result — run,
 * counts, local copy and events — is the same as one unbudgeted run of the same vendor data on a
 * second gateway. Duplicate and stale messages do nothing; a lost continuation is picked up by the
 * scheduler's recovery once the handed-over lease lapses.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { runDueJobs } from '../../src/sync/due-jobs'
import type { GatewayEvent } from '../../src/lib/event-bus'
import { runQueuedMessage } from '../../src/sync/queued-runs'
import type { SyncQueueMessage, SyncRunQueue } from '../../src/sync/run-queue'
import { findRun } from '../../src/sync/run-store'
import { startTestGateway, type TestGateway } from '../support/gateway'
import { createJob, superQueryAll, SYNC_TEST_ENV, usersJob } from './support/sync-helpers'

const USERS = 110
const PAGE = 25
const LEASE_MS = 60_000
const HOURLY = { schedule: '0 * * * *' }
/** The accounts the scheduler fans out over; the first one's run is compared in detail. */
const ACCOUNTS = ['sandbox-claude', 'sandbox-openai-codex', 'sandbox-neon']

let whole: TestGateway
let budgeted: TestGateway
const events = new Map<TestGateway, Map<string, GatewayEvent>>()

/** The messages sent, in order, as a queue would hold them. */
class MemoryQueue implements SyncRunQueue {
  readonly messages: SyncQueueMessage[] = []
  send(messages: SyncQueueMessage[]): Promise<void> {
    this.messages.push(...messages)
    return Promise.resolve()
  }
}
const queue = new MemoryQueue()

async function start(env: Record<string, string>): Promise<TestGateway> {
  const g = await startTestGateway({
    simulator: { users: USERS },
    env: { ...SYNC_TEST_ENV, UNIMETER_SYNC_SCHEDULER: 'off', UNIMETER_SYNC_LEASE_MS: String(LEASE_MS), ...env },
  })
  // Receivers dedupe a re-emitted event by its id; so does this log.
  const seen = new Map<string, GatewayEvent>()
  g.services.events.on((e) => void seen.set(e.id ?? `${seen.size}`, e))
  events.set(g, seen)
  return g
}

beforeAll(async () => {
  whole = await start({})
  budgeted = await start({ UNIMETER_SYNC_INVOCATION_BUDGET_PAGES: '1' })
  // The Workers wiring (src/runtime/workers/worker-gateway.ts), with a queue the test reads.
  budgeted.services.syncQueue = queue
})
afterAll(async () => {
  await whole?.close()
  await budgeted?.close()
})

/** What a run produced, without what differs between two runs of the same data (ids, times). */
function eventsOf(g: TestGateway, runId: string): string[] {
  return [...events.get(g)!.values()]
    .filter((e) => e.payload.sync_job_run_id === runId || e.payload.id === runId)
    .map((e) => (e.event.startsWith('record:') ? `${e.event} ${String(e.payload.record_id)}` : e.event))
}
const withoutSeenAt = (records: any[]) =>
  records.map(({ updated_at: _seenAt, ...rest }) => rest).sort((a, b) => String(a.id).localeCompare(String(b.id)))

it('fans due jobs out as messages and runs each across invocations to the unbudgeted result', async () => {
  const jobs = await Promise.all(ACCOUNTS.map((account) => createJob(budgeted, usersJob(account, HOURLY, { limit: PAGE }))))
  const due = new Date(Math.max(...jobs.map((j) => Date.parse(j.next_run_at))))

  // The scheduler only sends: one message per due job, no run yet.
  const report = await runDueJobs(budgeted.services, due)
  expect(report).toEqual({ started: [], resumed: [], queued: expect.arrayContaining(jobs.map((j) => j.id)) })
  expect(queue.messages).toHaveLength(jobs.length)
  expect(queue.messages).toEqual(
    expect.arrayContaining(jobs.map((j) => ({ kind: 'job', job_id: j.id, due_at: Date.parse(j.next_run_at), at: due.getTime() }))),
  )
  expect((await budgeted.json('/sync-job-run')).body.result).toEqual([])
  const jobMessages = [...queue.messages]

  // The consumer: one message per invocation, in the order the queue holds them. The second
  // continuation of the first job's run is lost on the way.
  const invocations = new Map<string, number>()
  let runId: string | undefined
  let lost: Extract<SyncQueueMessage, { kind: 'run' }> | undefined
  let continuations = 0
  const drain = async () => {
    for (let message = queue.messages.shift(); message; message = queue.messages.shift()) {
      const before = queue.messages.length
      await runQueuedMessage(budgeted.services, queue, message)
      if (message.kind === 'run') invocations.set(message.run_id, (invocations.get(message.run_id) ?? 0) + 1)
      const sent = queue.messages.length > before ? queue.messages.at(-1) : undefined
      if (sent?.kind !== 'run') continue
      if (message.kind === 'job' && message.job_id === jobs[0].id) runId = sent.run_id
      if (sent.run_id === runId && !lost && ++continuations === 2) lost = queue.messages.pop() as typeof lost
    }
  }
  await drain()
  expect(lost).toBeDefined()
  expect(runId).toBeDefined()
  const run = runId!
  const parked = (await findRun(budgeted.services, run))!
  // Parked at a page boundary: checkpoint committed, lease held by the owner the lost message named.
  expect(parked).toMatchObject({ status: 'running', leaseOwner: lost!.owner })
  expect(parked.checkpoint).not.toBeNull()

  // Duplicates: the same due job again is not claimed twice; the run's earlier messages find
  // its lease handed on and leave it alone.
  for (const message of [...jobMessages, { kind: 'run' as const, run_id: run, owner: 'unimeter-stale-owner' }]) {
    await runQueuedMessage(budgeted.services, queue, message)
  }
  expect(queue.messages).toEqual([])
  expect(await findRun(budgeted.services, run)).toEqual(parked)

  // While the lease is live the scheduler leaves the run; once it lapses, it hands it on again.
  expect((await runDueJobs(budgeted.services, new Date())).resumed).toEqual([])
  const recovered = await runDueJobs(budgeted.services, new Date(Date.now() + LEASE_MS + 1_000))
  expect(recovered.resumed).toEqual([run])
  expect(queue.messages).toEqual([{ kind: 'run', run_id: run, owner: expect.not.stringMatching(lost!.owner) }])
  await drain()

  // Every job ran once, to the end.
  const runs = (await budgeted.json('/sync-job-run?limit=50')).body.result as any[]
  expect(runs).toHaveLength(ACCOUNTS.length)
  for (const r of runs) expect(r).toMatchObject({ status: 'succeeded', trigger: 'schedule', error: null })

  // The same job on a gateway that runs it whole, in process, from the same vendor data.
  const wholeJob = await createJob(whole, usersJob(ACCOUNTS[0], HOURLY, { limit: PAGE }))
  const wholeReport = await runDueJobs(whole.services, new Date(wholeJob.next_run_at))
  expect(wholeReport.started).toHaveLength(1)
  const expected = (await whole.json(`/sync-job-run/${wholeReport.started[0]}`)).body
  const actual = (await budgeted.json(`/sync-job-run/${run}`)).body
  expect(expected).toMatchObject({ status: 'succeeded', is_partial: false })
  expect(expected.pages_fetched).toBeGreaterThan(3)
  for (const field of ['status', 'pages_fetched', 'counts', 'is_partial', 'deletions_held', 'error'])
    expect(actual[field], field).toEqual(expected[field])
  // One page per invocation (the last one also completes the run); one of them was the recovery's.
  expect(invocations.get(run)).toBe(expected.pages_fetched - 1)

  const local = await superQueryAll(budgeted, ACCOUNTS[0])
  expect(new Set(local.map((r) => r.id)).size).toBe(local.length)
  expect(local).toHaveLength(expected.counts.added)
  expect(withoutSeenAt(local)).toEqual(withoutSeenAt(await superQueryAll(whole, ACCOUNTS[0])))
  const runEvents = eventsOf(budgeted, run)
  expect(runEvents).toEqual(eventsOf(whole, expected.id))
  expect(runEvents.filter((e) => e === 'sync_job_run:started')).toHaveLength(1)
})
