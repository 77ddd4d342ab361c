/**
 * Sync runs against the Claude sandbox simulator: the first sync, a change, a removal, the
 * zero-record safety catch, concurrent triggers, cancel, and a vendor 401 pausing the job.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit/types'
import { startTestGateway, walkAll, type TestGateway } from '../support/gateway'
import { createJob, runToEnd, superQueryAll, MEMBERS_ONLY, SYNC_TEST_ENV, USERS_LIST, usersJob, waitForRun } from './support/sync-helpers'

const USERS = 120
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
})
afterAll(async () => {
  await g?.close()
})
beforeEach(() => {
  sim.faults.clear()
})

const usersRequests = () => sim.counts.get('GET /v1/organizations/users') ?? 0
const ids = (records: any[]) => records.map((r) => r.id).sort()

describe('runs', () => {
  it('copies every user on the first sync, through a transient vendor 503', async () => {
    sim.faults.add({ fault: { kind: 'status', status: 503 }, path: '/v1/organizations/users', times: 1 })
    const before = usersRequests()
    const run = await runToEnd(g, job.id)
    // The members' pages, then the invites list's one (empty) page.
    expect(run).toMatchObject({
      status: 'succeeded',
      trigger: 'manual',
      pages_fetched: Math.ceil(USERS / 25) + 1,
      error: null,
      is_partial: false,
    })
    expect(run.counts).toEqual({ added: USERS, updated: 0, deleted: 0, unchanged: 0 })
    expect(run.started_at).toBeTruthy()
    expect(run.finished_at >= run.started_at).toBe(true)
    // 5 pages of 25 and one retry of the page that failed.
    expect(usersRequests() - before).toBe(Math.ceil(USERS / 25) + 1)

    const live = (await walkAll(g, `${USERS_LIST}?integrated_account_id=${ACCOUNT}&limit=100`)).records
    const local = await superQueryAll(g, ACCOUNT)
    expect(ids(local)).toEqual(ids(live))
    const liveById = new Map(live.map((r) => [r.id, r]))
    for (const record of local) {
      const { updated_at: _u, ...rest } = record
      const { updated_at: _l, ...expected } = liveById.get(record.id)
      expect(rest).toEqual(expected)
    }
  })

  it('detects a change by content hash and counts the rest unchanged', async () => {
    const target = (await superQueryAll(g, ACCOUNT))[7]
    sim.records.apply({ collection: 'users', id: target.id, set: { name: 'Grace Hopper' } })
    const run = await runToEnd(g, job.id)
    expect(run.counts).toEqual({ added: 0, updated: 1, deleted: 0, unchanged: USERS - 1 })
    const changed = (await superQueryAll(g, ACCOUNT)).find((r) => r.id === target.id)
    expect(changed).toMatchObject({ name: 'Grace Hopper', first_name: 'Grace', last_name: 'Hopper' })
    expect(changed.remote_data.name).toBe('Grace Hopper')
    // No vendor update time: the local copy's change time stands in, within this run.
    expect(changed.updated_at >= run.started_at && changed.updated_at <= run.finished_at).toBe(true)
  })

  it('marks a removed user deleted after a complete run, and brings it back when it returns', async () => {
    const gone = (await superQueryAll(g, ACCOUNT))[3]
    sim.records.apply({ collection: 'users', id: gone.id, remove: true })
    const run = await runToEnd(g, job.id)
    expect(run.counts).toEqual({ added: 0, updated: 0, deleted: 1, unchanged: USERS - 1 })
    const local = await superQueryAll(g, ACCOUNT)
    expect(local).toHaveLength(USERS - 1)
    expect(local.some((r) => r.id === gone.id)).toBe(false)

    sim.records.clear()
    const back = await runToEnd(g, job.id)
    // The removed user is new again; the renamed one changed back.
    expect(back.counts).toEqual({ added: 1, updated: 1, deleted: 0, unchanged: USERS - 2 })
    expect(await superQueryAll(g, ACCOUNT)).toHaveLength(USERS)
  })

  it('never deletes on a failed run', async () => {
    sim.records.apply({ collection: 'users', id: (await superQueryAll(g, ACCOUNT))[0].id, remove: true })
    // Page 3 fails for good (more 500s than the engine retries): the walk is incomplete.
    sim.faults.add({ fault: { kind: 'status', status: 500 }, path: '/v1/organizations/users', skip: 2, times: -1 })
    const run = await runToEnd(g, job.id)
    expect(run.status).toBe('failed')
    expect(run.error).toMatchObject({ status_code: 500 })
    expect(run.counts.deleted).toBe(0)
    expect(await superQueryAll(g, ACCOUNT)).toHaveLength(USERS)
    sim.records.clear()
  })

  it('holds deletions back when a run sees zero users, until a second run confirms', async () => {
    const all = await superQueryAll(g, ACCOUNT)
    for (const r of all) sim.records.apply({ collection: 'users', id: r.id, remove: true })
    const first = await runToEnd(g, job.id)
    expect(first).toMatchObject({ status: 'succeeded', deletions_held: true })
    expect(first.counts).toEqual({ added: 0, updated: 0, deleted: 0, unchanged: 0 })
    expect(await superQueryAll(g, ACCOUNT)).toHaveLength(USERS)

    const second = await runToEnd(g, job.id)
    expect(second).toMatchObject({ status: 'succeeded', deletions_held: false })
    expect(second.counts.deleted).toBe(USERS)
    expect(await superQueryAll(g, ACCOUNT)).toHaveLength(0)

    sim.records.clear()
    const restored = await runToEnd(g, job.id)
    expect(restored.counts).toEqual({ added: USERS, updated: 0, deleted: 0, unchanged: 0 })
  })

  it('resets the held deletion when a run in between sees records', async () => {
    const all = await superQueryAll(g, ACCOUNT)
    for (const r of all) sim.records.apply({ collection: 'users', id: r.id, remove: true })
    expect((await runToEnd(g, job.id)).deletions_held).toBe(true)
    sim.records.clear()
    expect((await runToEnd(g, job.id)).counts.unchanged).toBe(USERS)
    for (const r of all) sim.records.apply({ collection: 'users', id: r.id, remove: true })
    // Empty again, but the earlier empty run no longer counts: held once more.
    expect((await runToEnd(g, job.id)).deletions_held).toBe(true)
    expect(await superQueryAll(g, ACCOUNT)).toHaveLength(USERS)
    sim.records.clear()
  })
})

describe('one run at a time', () => {
  it('answers concurrent triggers with the one running run, and cancels it', async () => {
    // The first users page never answers, so the run stays running while the triggers arrive.
    sim.faults.add({ fault: { kind: 'hang' }, path: '/v1/organizations/users', times: 1 })
    const answers = await Promise.all(Array.from({ length: 6 }, () => g.json(`/sync-job/${job.id}/run`, { method: 'POST' })))
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 201])
    const runIds = new Set(answers.map((a) => a.body.id))
    expect(runIds.size).toBe(1)
    const [runId] = runIds
    expect(['created', 'running']).toContain(answers[0].body.status)

    const cancelled = await g.json(`/sync-job-run/${runId}/cancel`, { method: 'POST' })
    expect(cancelled.status).toBe(200)
    expect(cancelled.body).toMatchObject({ id: runId, status: 'cancelled', cancel_requested: true })
    expect(cancelled.body.finished_at).toBeTruthy()
    const again = await g.json(`/sync-job-run/${runId}/cancel`, { method: 'POST' })
    expect(again.status).toBe(422)
    expect(again.body.code).toBe('sync_job_run_finished')

    // The next trigger starts a new run.
    const next = await runToEnd(g, job.id)
    expect(next.id).not.toBe(runId)
    expect(next.status).toBe('succeeded')
  })

  it('lists runs newest first, by job and status, with a cursor', async () => {
    const page1 = await g.json(`/sync-job-run?sync_job_id=${job.id}&limit=2`)
    expect(page1.status).toBe(200)
    expect(page1.body.result).toHaveLength(2)
    expect(page1.body.result[0].created_at >= page1.body.result[1].created_at).toBe(true)
    const page2 = await g.json(`/sync-job-run?sync_job_id=${job.id}&limit=2&next_cursor=${encodeURIComponent(page1.body.next_cursor)}`)
    expect(page2.body.result[0].id).not.toBe(page1.body.result[1].id)
    const cancelled = await g.json(`/sync-job-run?status=cancelled`)
    expect(cancelled.body.result.length).toBeGreaterThan(0)
    expect(cancelled.body.result.every((r: any) => r.status === 'cancelled')).toBe(true)
    expect((await g.json('/sync-job-run?next_cursor=garbage')).status).toBe(400)
    expect((await g.json('/sync-job-run?status=sleeping')).status).toBe(400)
  })
})

describe('a vendor 401', () => {
  it('fails the run, marks the account needs_reauth, fires the event and pauses the job until re-auth', async () => {
    const events: any[] = []
    const off = g.services.events.on((e) => void (e.event === 'integrated_account:authentication_error' && events.push(e.payload)))
    sim.faults.add({ fault: { kind: 'status', status: 401, message: 'invalid x-api-key' }, path: '/v1/organizations/users', times: -1 })
    const run = await runToEnd(g, job.id)
    off()
    expect(run.status).toBe('failed')
    expect(run.error).toMatchObject({ status_code: 401, code: 'authentication_error' })
    expect(events).toEqual([expect.objectContaining({ id: ACCOUNT, integration: 'claude' })])
    expect((await g.json(`/integrated-account/${ACCOUNT}`)).body.status).toBe('needs_reauth')
    expect((await g.json(`/sync-job/${job.id}`)).body.status).toBe('paused')

    const refused = await g.json(`/sync-job/${job.id}/run`, { method: 'POST' })
    expect(refused.status).toBe(422)
    expect(refused.body).toMatchObject({ statusCode: 422, error: 'Unprocessable Entity', code: 'integrated_account_needs_reauth' })
    expect(refused.body.message).toMatch(/PATCH \/integrated-account\/sandbox-claude/)

    // New credentials (verified against the vendor) bring the account and its jobs back.
    sim.faults.clear()
    const patched = await g.json(`/integrated-account/${ACCOUNT}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ context: { api_key: sim.credentials.api_key } }),
    })
    expect(patched.status).toBe(200)
    expect((await g.json(`/sync-job/${job.id}`)).body.status).toBe('active')
    expect((await runToEnd(g, job.id)).status).toBe('succeeded')
  })
})

describe('job API', () => {
  const post = (body: unknown) =>
    g.json('/sync-job', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

  it('refuses bad jobs with the error envelope and a message saying what to fix', async () => {
    const cases: Array<[unknown, number, RegExp]> = [
      [usersJob('nope'), 404, /No integrated account with id nope/],
      [
        { ...usersJob(ACCOUNT), resources: [{ resource: 'usage-metering/nope', method: 'list' }] },
        400,
        /no unified resource usage-metering\/nope/,
      ],
      [{ ...usersJob(ACCOUNT), resources: [{ resource: 'users', method: 'list' }] }, 400, /resource must be "<model>\/<resource>"/],
      [{ ...usersJob(ACCOUNT), resources: [{ resource: 'usage-metering/users', method: 'get' }] }, 400, /method/],
      [usersJob(ACCOUNT, {}, { limit: 5000 }), 400, /page size must be a whole number from 1 to 1000/],
      [usersJob(ACCOUNT, {}, { colour: 'red' }), 400, /unknown key\(s\) colour/],
      [usersJob(ACCOUNT, {}, { date: 'yesterday' }), 400, /date must be YYYY-MM-DD/],
      [
        { ...usersJob(ACCOUNT), resources: [{ resource: 'usage-metering/users', window: { initial_days: 7 } }] },
        400,
        /window is only for window-mode resources/,
      ],
      [{ ...usersJob(ACCOUNT), resources: [{ resource: 'usage-metering/users', window: { initial_days: 0 } }] }, 400, /initial_days/],
      [usersJob(ACCOUNT, { schedule: 'every hour' }), 400, /not a valid cron expression/],
      [usersJob(ACCOUNT, { schedule: '61 * * * *' }), 400, /minute/],
      [{ integrated_account_id: ACCOUNT, resources: [] }, 400, /at least one/],
      [usersJob(ACCOUNT), 422, /already syncs usage-metering\/users/],
    ]
    for (const [body, status, message] of cases) {
      const res = await post(body)
      expect(res.status, JSON.stringify(body)).toBe(status)
      expect(res.body).toMatchObject({ statusCode: status })
      expect(typeof res.body.code).toBe('string')
      expect(res.body.message).toMatch(message)
    }
    const notJson = await g.json('/sync-job', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' })
    expect(notJson.status).toBe(400)
  })

  it('creates, lists, updates and deletes jobs', async () => {
    const other = await createJob(g, usersJob('sandbox-openai-codex', { schedule: '0 * * * *' }, { limit: 50 }))
    expect(other).toMatchObject({ schedule: '0 * * * *', is_active: true, status: 'active' })
    expect(Date.parse(other.next_run_at)).toBeGreaterThan(Date.now())

    const listed = await g.json('/sync-job?integrated_account_id=sandbox-openai-codex')
    expect(listed.body.result.map((j: any) => j.id)).toEqual([other.id])
    const onePerPage = await g.json('/sync-job?limit=1')
    expect(onePerPage.body.result).toHaveLength(1)
    expect(onePerPage.body.next_cursor).toBeTruthy()

    const patch = (body: unknown) =>
      g.json(`/sync-job/${other.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    const off = await patch({ is_active: false })
    expect(off.body).toMatchObject({ is_active: false, status: 'inactive', next_run_at: null })
    const manual = await patch({ is_active: true, schedule: null })
    expect(manual.body).toMatchObject({ is_active: true, schedule: null, next_run_at: null })
    expect((await patch({ schedule: 'nope' })).status).toBe(400)

    expect((await g.json(`/sync-job/${other.id}`, { method: 'DELETE' })).status).toBe(200)
    expect((await g.json(`/sync-job/${other.id}`)).status).toBe(404)
    expect((await g.json(`/sync-job/${other.id}/run`, { method: 'POST' })).status).toBe(404)
    expect((await g.json('/sync-job-run/nope')).body.code).toBe('sync_job_run_not_found')
  })

  it('requires the API token', async () => {
    const res = await fetch(`${g.url}/sync-job`)
    expect(res.status).toBe(401)
  })

  it('documents the sync and webhook routes in OpenAPI', async () => {
    const doc = (await g.json('/openapi.json')).body
    for (const path of [
      '/sync-job',
      '/sync-job/{id}',
      '/sync-job/{id}/run',
      '/sync-job-run',
      '/sync-job-run/{id}',
      '/sync-job-run/{id}/cancel',
      '/webhook',
      '/webhook/{id}',
      '/webhook/{id}/deliveries',
    ]) {
      expect(doc.paths[path], path).toBeDefined()
    }
    expect(doc.components.schemas.SyncJobRun.properties.counts).toBeDefined()
  })
})

// The run helper waits on the runner itself; make sure a finished run is also what the list shows.
it('shows finished runs identically in get and list', async () => {
  const run = await runToEnd(g, job.id)
  const listed = (await g.json(`/sync-job-run?sync_job_id=${job.id}&limit=1`)).body.result[0]
  expect(listed).toEqual(await waitForRun(g, run.id))
})
