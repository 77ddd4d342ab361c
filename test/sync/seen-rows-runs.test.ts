/**
 * Runs on the Node gateway, where an unchanged record is marked seen by its page's row in
 * sync_run_seen (src/sync/run-seen.ts) rather than by rewriting its own row: a complete run
 * deletes what it did not list, a failed or cancelled one deletes nothing, and whatever the end,
 * the run leaves no seen rows behind.
 */
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest'
import { syncRecords, syncRunSeen } from '../../src/db/schema'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit/types'
import { startTestGateway, type TestGateway } from '../support/gateway'
import { createJob, runToEnd, superQueryAll, MEMBERS_ONLY, SYNC_TEST_ENV, usersJob, waitForRun } from './support/sync-helpers'

const USERS = 60
const ACCOUNT = 'sandbox-claude'
let g: TestGateway
let sim: RunningSimulator
let job: any

beforeAll(async () => {
  g = await startTestGateway({
    simulator: { users: USERS, variant: MEMBERS_ONLY },
    env: { ...SYNC_TEST_ENV, UNIMETER_SYNC_SCHEDULER: 'off' },
  })
  sim = g.sandbox!.simulators.get('claude')!
  job = await createJob(g, usersJob(ACCOUNT))
  expect((await runToEnd(g, job.id)).counts).toEqual({ added: USERS, updated: 0, deleted: 0, unchanged: 0 })
})
afterAll(async () => {
  await g?.close()
})
beforeEach(() => {
  sim.faults.clear()
  sim.records.clear()
})

const seenRows = () => g.services.db.select().from(syncRunSeen)
const records = () => g.services.db.select().from(syncRecords).where(eq(syncRecords.integratedAccountId, ACCOUNT))

it('deletes a record absent from a complete run, without rewriting the rows of those it listed unchanged', async () => {
  const before = new Map((await records()).map((r) => [r.recordId, r]))
  const gone = (await superQueryAll(g, ACCOUNT))[5]
  sim.records.apply({ collection: 'users', id: gone.id, remove: true })
  const run = await runToEnd(g, job.id)
  expect(run).toMatchObject({ status: 'succeeded', counts: { added: 0, updated: 0, deleted: 1, unchanged: USERS - 1 } })
  const after = await records()
  expect(after.filter((r) => r.deletedAt !== null).map((r) => r.recordId)).toEqual([gone.id])
  for (const r of after.filter((x) => x.deletedAt === null)) expect(r).toEqual(before.get(r.recordId))
  expect(await seenRows()).toEqual([])
  // Back again: created anew, the rest still unchanged.
  sim.records.clear()
  expect((await runToEnd(g, job.id)).counts).toEqual({ added: 1, updated: 0, deleted: 0, unchanged: USERS - 1 })
})

it('leaves no seen rows and deletes nothing when a run fails after listing pages', async () => {
  sim.records.apply({ collection: 'users', id: (await superQueryAll(g, ACCOUNT))[0].id, remove: true })
  // Page 3 fails for good, after two pages were committed with their seen rows.
  sim.faults.add({ fault: { kind: 'status', status: 500 }, path: '/v1/organizations/users', skip: 2, times: -1 })
  const run = await runToEnd(g, job.id)
  expect(run).toMatchObject({ status: 'failed', pages_fetched: 2, counts: { deleted: 0 } })
  expect(await seenRows()).toEqual([])
  expect((await records()).every((r) => r.deletedAt === null)).toBe(true)
})

it('leaves no seen rows and deletes nothing when a run is cancelled after listing pages', async () => {
  sim.records.apply({ collection: 'users', id: (await superQueryAll(g, ACCOUNT))[0].id, remove: true })
  sim.faults.add({ fault: { kind: 'hang' }, path: '/v1/organizations/users', skip: 2, times: 1 })
  const started = await g.json(`/sync-job/${job.id}/run`, { method: 'POST' })
  const runId = started.body.id as string
  for (let tries = 0; (await seenRows()).length < 2; tries++) {
    expect(tries).toBeLessThan(200)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  expect((await seenRows()).every((r) => r.runId === runId)).toBe(true)
  const cancelled = await g.json(`/sync-job-run/${runId}/cancel`, { method: 'POST' })
  expect(cancelled.body).toMatchObject({ status: 'cancelled', counts: { deleted: 0 } })
  expect((await waitForRun(g, runId)).status).toBe('cancelled')
  expect(await seenRows()).toEqual([])
  expect((await records()).every((r) => r.deletedAt === null)).toBe(true)
})
