/**
 * truto_super_query: the unified users list answered from the local copy — envelope, keyset
 * cursors, every filter (status, emails, updated_at and last_active_at ranges), sort_by, the
 * formats and field options, and 400s for malformed values. Expected results are computed from
 * the unfiltered copy, which itself equals the live list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { usageMeteringUserSchema } from '../../src/models/usage-metering/users'
import { startTestGateway, walkAll, type TestGateway } from '../support/gateway'
import { createJob, runToEnd, superQueryAll, MEMBERS_ONLY, SYNC_TEST_ENV, USERS_LIST, usersJob } from './support/sync-helpers'

const USERS = 60
const CLAUDE = 'sandbox-claude'
const NEON = 'sandbox-neon'
const SQ = `${USERS_LIST}?integrated_account_id=${CLAUDE}&truto_super_query=1`
let g: TestGateway
let all: any[]
let changed: any
let secondRun: any

beforeAll(async () => {
  g = await startTestGateway({
    simulator: { users: USERS, variant: MEMBERS_ONLY },
    env: { ...SYNC_TEST_ENV, UNIMETER_SYNC_SCHEDULER: 'off' },
  })
  const claude = await createJob(g, usersJob(CLAUDE))
  await runToEnd(g, claude.id)
  const neon = await createJob(g, usersJob(NEON, {}, {}))
  expect((await runToEnd(g, neon.id)).status).toBe('succeeded')
  // One user changes at the vendor, so updated_at tells it apart.
  const first = await superQueryAll(g, CLAUDE)
  g.sandbox!.simulators.get('claude')!.records.apply({ collection: 'users', id: first[11].id, set: { name: 'Changed Person' } })
  secondRun = await runToEnd(g, claude.id)
  expect(secondRun.counts.updated).toBe(1)
  all = await superQueryAll(g, CLAUDE)
  changed = all.find((r) => r.id === first[11].id)
})
afterAll(async () => {
  await g?.close()
})

const read = async (query: string) => {
  const res = await g.json(`${SQ}&limit=1000&${query}`)
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return res.body.result as any[]
}
const idsOf = (records: any[]) => records.map((r) => r.id)
const sortedIds = (records: any[]) => idsOf(records).sort()

describe('envelope and cursors', () => {
  it('holds the same users as the live list, in the list envelope, sorted by id', async () => {
    const live = (await walkAll(g, `${USERS_LIST}?integrated_account_id=${CLAUDE}&limit=100`)).records
    expect(sortedIds(all)).toEqual(sortedIds(live))
    const { body } = await g.json(SQ)
    expect(Object.keys(body).sort()).toEqual(['next_cursor', 'prev_cursor', 'result', 'result_count'])
    expect(body).toMatchObject({ next_cursor: null, prev_cursor: null, result_count: USERS })
    expect(idsOf(body.result)).toEqual(sortedIds(live))
  })

  it('walks small pages with keyset cursors, without repeats or gaps', async () => {
    const walked = await walkAll(g, `${SQ}&limit=7`)
    expect(walked.pages).toBe(Math.ceil(USERS / 7))
    expect(idsOf(walked.records)).toEqual(idsOf(all))
  })

  it('refuses cursors that are not its own', async () => {
    const live = (await g.json(`${USERS_LIST}?integrated_account_id=${CLAUDE}&limit=5`)).body.next_cursor
    const own = (await g.json(`${SQ}&limit=5&sort_by=last_active_at`)).body.next_cursor
    for (const [cursor, why] of [
      [live, /another resource/],
      [own, /other filters or another sort_by/],
      ['garbage', /malformed/],
    ]) {
      const res = await g.json(`${SQ}&limit=5&next_cursor=${encodeURIComponent(cursor)}`)
      expect(res.status).toBe(400)
      expect(res.body).toMatchObject({ code: 'invalid_cursor', message: expect.stringMatching(why) })
    }
  })

  // Changed deliberately (issue 17): a never-synced account used to answer an empty 200,
  // indistinguishable from an account with no users.
  it('answers an unknown account with 404 and a never-synced one with 422 saying how to sync', async () => {
    expect((await g.json(`${USERS_LIST}?integrated_account_id=nope&truto_super_query=1`)).status).toBe(404)
    const unsynced = await g.json(`${USERS_LIST}?integrated_account_id=sandbox-cursor&truto_super_query=1`)
    expect(unsynced.status).toBe(422)
    expect(unsynced.body).toMatchObject({ statusCode: 422, code: 'super_query_not_synced' })
    expect(unsynced.body.message).toMatch(
      /No sync of usage-metering\/users has completed for integrated account sandbox-cursor[\s\S]*POST \/sync-job/,
    )
  })

  it('answers 409 sync_in_progress while the first run is still going, then 422 naming the job once it ends unsucceeded', async () => {
    const account = 'sandbox-limitly'
    const sim = g.sandbox!.simulators.get('limitly')!
    // The run's first vendor request never answers, so the first sync stays in progress.
    sim.faults.add({ fault: { kind: 'hang' }, times: 1 })
    try {
      const job = await createJob(g, usersJob(account, {}, {}))
      const started = await g.json(`/sync-job/${job.id}/run`, { method: 'POST' })
      expect(started.status).toBe(201)
      const url = `${USERS_LIST}?integrated_account_id=${account}&truto_super_query=1`
      const busy = await g.json(url)
      expect(busy.status, JSON.stringify(busy.body)).toBe(409)
      expect(busy.body).toMatchObject({ statusCode: 409, code: 'sync_in_progress' })
      expect(busy.body.message).toContain(`is still running (run ${started.body.id}); retry once it has ended`)

      // Cancelled before it copied anything: no copy yet, and the answer says which job to run.
      expect((await g.json(`/sync-job-run/${started.body.id}/cancel`, { method: 'POST' })).status).toBe(200)
      const after = await g.json(url)
      expect(after.status).toBe(422)
      expect(after.body).toMatchObject({ code: 'super_query_not_synced' })
      expect(after.body.message).toContain(`run sync job ${job.id} (POST /sync-job/${job.id}/run)`)
    } finally {
      sim.faults.clear()
    }
  })
})

describe('filters', () => {
  it('status', async () => {
    expect(await read('status=active')).toHaveLength(USERS)
    expect(await read('status=inactive')).toEqual([])
    const neon = (q: string) =>
      g.json(`${USERS_LIST}?integrated_account_id=${NEON}&truto_super_query=1&limit=1000&${q}`).then((r) => r.body.result as any[])
    const everyone = await neon('')
    const invited = await neon('status=invited')
    const active = await neon('status=active')
    expect(invited.length).toBeGreaterThan(0)
    expect(active.length).toBeGreaterThan(0)
    expect(invited.every((r) => r.status === 'invited') && active.every((r) => r.status === 'active')).toBe(true)
    expect(invited.length + active.length).toBe(everyone.length)
    expect(sortedIds(await neon('status[]=active&status[]=invited'))).toEqual(sortedIds(everyone))
  })

  it('emails (any of them, case-insensitive)', async () => {
    const [a, b] = [all[4], all[40]]
    const one = await read(`emails=${encodeURIComponent(a.emails[0].email.toUpperCase())}`)
    expect(idsOf(one)).toEqual([a.id])
    const two = await read(`emails[]=${encodeURIComponent(a.emails[0].email)}&emails[]=${encodeURIComponent(b.emails[0].email)}`)
    expect(sortedIds(two)).toEqual([a.id, b.id].sort())
    expect(await read('emails=nobody@example.com')).toEqual([])
  })

  it('last_active_at ranges', async () => {
    const active = all
      .filter((r) => r.last_active_at)
      .map((r) => r.last_active_at as string)
      .sort()
    expect(active.length).toBeGreaterThan(2)
    const pivot = active[Math.floor(active.length / 2)]
    const expected = (keep: (v: string) => boolean) => sortedIds(all.filter((r) => r.last_active_at && keep(r.last_active_at)))
    expect(sortedIds(await read(`last_active_at[gte]=${pivot}`))).toEqual(expected((v) => v >= pivot))
    expect(sortedIds(await read(`last_active_at[gt]=${pivot}`))).toEqual(expected((v) => v > pivot))
    expect(sortedIds(await read(`last_active_at[lt]=${pivot}`))).toEqual(expected((v) => v < pivot))
    expect(sortedIds(await read(`last_active_at[lte]=${pivot}`))).toEqual(expected((v) => v <= pivot))
    const [from, to] = [active[0], active[active.length - 1]]
    expect(sortedIds(await read(`last_active_at[gte]=${from}&last_active_at[lte]=${to}`))).toEqual(expected(() => true))
  })

  it('updated_at ranges (the local change time when the vendor gives none)', async () => {
    const since = await read(`updated_at[gte]=${encodeURIComponent(secondRun.started_at)}`)
    expect(idsOf(since)).toEqual([changed.id])
    expect(since[0].name).toBe('Changed Person')
    const before = await read(`updated_at[lt]=${encodeURIComponent(secondRun.started_at)}`)
    expect(before).toHaveLength(USERS - 1)
    // Any ISO-8601 form is accepted and compared in UTC.
    const offset = new Date(secondRun.started_at).toISOString().replace('Z', '+00:00')
    expect(idsOf(await read(`updated_at[gte]=${encodeURIComponent(offset)}`))).toEqual([changed.id])
  })

  it('combines filters', async () => {
    const pick = all.find((r) => r.last_active_at)!
    const res = await read(`status=active&emails=${encodeURIComponent(pick.emails[0].email)}&last_active_at[gte]=${pick.last_active_at}`)
    expect(idsOf(res)).toEqual([pick.id])
    expect(await read(`status=inactive&emails=${encodeURIComponent(pick.emails[0].email)}`)).toEqual([])
  })

  it('ignores keys that are not filters', async () => {
    expect(await read('colour=red&name=x')).toHaveLength(USERS)
  })

  it.each([
    ['updated_at[gt]=yesterday', /updated_at\[gt\] must be an ISO-8601 date-time/],
    ['updated_at=2026-01-01', /updated_at needs an operator/],
    ['last_active_at[between]=2026-01-01', /unknown operator/],
    ['status[a][b]=c', /status must be a value or a list/],
    ['sort_by=name', /sorts by id, status, updated_at, last_active_at, created_at/],
    ['sort_by[last_active_at]=up', /asc or desc/],
    ['sort_by[]=id&sort_by[]=status', /sort_by takes one field/],
  ])('refuses %s with 400', async (query, message) => {
    const res = await g.json(`${SQ}&${query}`)
    expect(res.status).toBe(400)
    expect(res.body).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      code: 'invalid_filter',
      message: expect.stringMatching(message),
    })
  })
})

describe('sort_by', () => {
  it.each(['last_active_at', '-last_active_at', 'sort_by[last_active_at]=desc', '-updated_at', 'created_at'])(
    '%s orders every page with (value, id) keysets',
    async (spec) => {
      const param = spec.startsWith('sort_by') ? spec : `sort_by=${spec}`
      const desc = spec.startsWith('-') || spec.endsWith('desc')
      const field = spec.replace(/^-|^sort_by\[|\]=desc$/g, '')
      const whole = await read(param)
      const walked = (await walkAll(g, `${SQ}&limit=6&${param}`)).records
      expect(idsOf(walked)).toEqual(idsOf(whole))
      const key = (r: any) => `${r[field] ?? ''}\u0000${r.id}`
      const expected = [...all].sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0))
      expect(idsOf(whole)).toEqual(idsOf(desc ? expected.reverse() : expected))
    },
  )
})

describe('formats and field options', () => {
  it('normalized, raw, debug, stream, key_by, ignore_remote_data, exclude_fields', async () => {
    const normalized = (await read('truto_response_format=normalized'))[0]
    expect(Object.keys(normalized).sort()).toEqual(Object.keys(usageMeteringUserSchema.shape).sort())
    const raw = await read('truto_response_format=raw')
    expect(raw[0]).toEqual(all[0].remote_data)
    const debug = (await g.json(`${SQ}&truto_response_format=debug&limit=3&status=active`)).body
    expect(debug.result).toMatchObject({ result_count: 3, next_cursor: expect.any(String) })
    expect(debug.debug).toMatchObject({
      source: 'super_query',
      resource: 'usage-metering/users',
      filters: { equals: [{ field: 'status', values: ['active'] }] },
    })
    const stream = await g.api(`${SQ}&truto_response_format=stream&limit=9`)
    expect(stream.headers.get('content-type')).toMatch(/ndjson/)
    const lines = (await stream.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(idsOf(lines)).toEqual(idsOf(all))
    const keyed = (await g.json(`${SQ}&truto_key_by=id`)).body.result
    expect(Object.keys(keyed).sort()).toEqual(sortedIds(all))
    const slim = await read('truto_ignore_remote_data=true&truto_exclude_fields[]=emails&truto_exclude_fields[]=organization.name')
    expect(slim[0].remote_data).toBeUndefined()
    expect(slim[0].emails).toBeUndefined()
    expect(slim[0].organization).toEqual({ id: all[0].organization.id })
  })
})
