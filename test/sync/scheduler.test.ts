/**
 * Scheduling: runDueJobs (the entry point of Node's croner tick and of a Workers Cron Trigger)
 * starts due jobs once, skips inactive and paused ones; the Node scheduler runs a schedule
 * missed during downtime once at start, and resumes a run parked by a graceful shutdown.
 */
import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runDueJobs } from '../../src/sync/due-jobs'
import { startTestGateway, type TestGateway } from '../support/gateway'
import { createJob, SYNC_TEST_ENV, usersJob, waitForRun } from './support/sync-helpers'

const runsOf = async (g: TestGateway, jobId: string) => (await g.json(`/sync-job-run?sync_job_id=${jobId}`)).body.result as any[]

describe('runDueJobs', () => {
  let g: TestGateway
  beforeAll(async () => {
    g = await startTestGateway({ simulator: { users: 12 }, env: { ...SYNC_TEST_ENV, UNIMETER_SYNC_SCHEDULER: 'off' } })
  })
  afterAll(async () => {
    await g?.close()
  })

  it('starts a due job once and moves its next run forward', async () => {
    const job = await createJob(g, usersJob('sandbox-claude', { schedule: '*/5 * * * *' }))
    const due = new Date(job.next_run_at)
    expect(due.getUTCMinutes() % 5).toBe(0)
    expect((await runDueJobs(g.services, new Date(due.getTime() - 1))).started).toEqual([])

    const report = await runDueJobs(g.services, due)
    expect(report.started).toHaveLength(1)
    const run = await waitForRun(g, report.started[0])
    expect(run).toMatchObject({ status: 'succeeded', trigger: 'schedule', sync_job_id: job.id })
    const after = (await g.json(`/sync-job/${job.id}`)).body
    expect(Date.parse(after.next_run_at)).toBeGreaterThan(due.getTime())
    // The same tick again (another process, a retried cron event) starts nothing.
    expect((await runDueJobs(g.services, due)).started).toEqual([])
    expect(await runsOf(g, job.id)).toHaveLength(1)
  })

  it('skips inactive jobs, and paused ones until their account is fixed', async () => {
    const job = await createJob(g, usersJob('sandbox-openai-codex', { schedule: '0 * * * *' }, {}))
    const due = new Date(job.next_run_at)
    await g.services.accounts.setStatus('sandbox-openai-codex', 'needs_reauth', 'the vendor refused the key')
    expect((await g.json(`/sync-job/${job.id}`)).body.status).toBe('paused')
    // runDueJobs resolves once what it started has finished.
    await runDueJobs(g.services, due)
    expect(await runsOf(g, job.id)).toEqual([])

    await g.services.accounts.setStatus('sandbox-openai-codex', 'active', null)
    await runDueJobs(g.services, new Date(due.getTime() + 60_000))
    expect(await runsOf(g, job.id)).toEqual([expect.objectContaining({ status: 'succeeded', trigger: 'schedule' })])

    const inactive = await createJob(g, usersJob('sandbox-neon', { schedule: '0 * * * *', is_active: false }, {}))
    expect(inactive).toMatchObject({ status: 'inactive', next_run_at: null })
    await runDueJobs(g.services, new Date(Date.now() + 7 * 86_400_000))
    expect(await runsOf(g, inactive.id)).toEqual([])
  })
})

describe('the Node scheduler', () => {
  let dir: string
  const open = new Set<TestGateway>()
  const start = async () => {
    const g = await startTestGateway({
      simulator: { users: 12 },
      env: { ...SYNC_TEST_ENV, UNIMETER_DATABASE_PATH: join(dir, 'shared.db') },
    })
    open.add(g)
    return g
  }
  const stop = async (g: TestGateway) => {
    open.delete(g)
    await g.close()
  }
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'unimeter-scheduler-'))
  })
  afterAll(async () => {
    for (const g of [...open]) await stop(g)
    rmSync(dir, { recursive: true, force: true })
  })

  it('runs a schedule missed while the gateway was down once, at start', async () => {
    const first = await start()
    const job = await createJob(first, usersJob('sandbox-claude', { schedule: '0 0 1 1 *' }))
    await stop(first)
    // Downtime across three missed slots: the job was due three years ago.
    const db = new Database(join(dir, 'shared.db'))
    db.prepare('update sync_jobs set next_run_at = ? where id = ?').run(Date.now() - 3 * 366 * 86_400_000, job.id)
    db.close()

    const second = await start()
    await second.services.syncHost.idle()
    const runs = await runsOf(second, job.id)
    expect(runs).toEqual([expect.objectContaining({ status: 'succeeded', trigger: 'schedule' })])
    const after = (await second.json(`/sync-job/${job.id}`)).body
    expect(new Date(after.next_run_at).getUTCFullYear()).toBe(new Date().getUTCFullYear() + 1)
    await stop(second)
  })

  it('parks a running run on shutdown and resumes it on the next start', async () => {
    const first = await start()
    const job = await createJob(first, usersJob('sandbox-openai-codex', {}, {}))
    const sim = first.sandbox!.simulators.get('openai-codex')!
    sim.faults.add({ fault: { kind: 'hang' }, times: -1 })
    const started = await first.json(`/sync-job/${job.id}/run`, { method: 'POST' })
    expect(started.status).toBe(201)
    await stop(first)
    const parked = new Database(join(dir, 'shared.db'))
    const row = parked.prepare('select status, lease_owner from sync_job_runs where id = ?').get(started.body.id)
    parked.close()
    expect(row).toEqual({ status: 'running', lease_owner: null })

    const second = await start()
    await second.services.syncHost.idle()
    const run = (await second.json(`/sync-job-run/${started.body.id}`)).body
    expect(run).toMatchObject({ status: 'succeeded', trigger: 'manual' })
    expect(await runsOf(second, job.id)).toHaveLength(1)
  })
})
