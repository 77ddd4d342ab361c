import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit/types'
import { usageMeteringUserSchema } from '../../src/models/usage-metering/users'
import { startTestGateway, walkAll, type TestGateway } from '../support/gateway'

const USERS = 57
const A = 'integrated_account_id=sandbox-claude'
const LIST = `/unified/usage-metering/users?${A}`
let g: TestGateway
let sim: RunningSimulator
/** The simulator's pending invites, which the list gives after the members. */
let pending: string[]
/** Members and pending invites: every record of the list. */
let TOTAL: number

beforeAll(async () => {
  g = await startTestGateway({ simulator: { users: USERS }, env: { UNIMETER_RETRY_MAX: '2', UNIMETER_RETRY_AFTER_CAP_MS: '2000' } })
  sim = g.sandbox!.simulators.get('claude')!
  const invites = await fetch(`${sim.baseUrl}/v1/organizations/invites?limit=1000`, {
    headers: { 'x-api-key': sim.credentials.api_key, 'anthropic-version': '2023-06-01' },
  }).then((r) => r.json())
  pending = invites.data.filter((i: { status: string }) => i.status === 'pending').map((i: { id: string }) => i.id)
  expect(pending.length).toBeGreaterThan(0)
  TOTAL = USERS + pending.length
})
afterAll(async () => {
  await g?.close()
})
beforeEach(() => {
  sim.faults.clear()
})

const usersRequests = () => sim.counts.get('GET /v1/organizations/users') ?? 0

describe('list parameters', () => {
  it('requires integrated_account_id, with the contract insight', async () => {
    const { status, body } = await g.json('/unified/usage-metering/users?limit=5')
    expect(status).toBe(400)
    expect(body).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      code: 'missing_required_query_parameters',
      truto_error_insight: { missing_required_query_parameters: { value: ['integrated_account_id'] } },
    })
  })

  it('answers an unknown account with 404', async () => {
    const { status, body } = await g.json('/unified/usage-metering/users?integrated_account_id=nope')
    expect(status).toBe(404)
    expect(body.code).toBe('integrated_account_not_found')
  })

  it('answers an unknown resource with 404 naming the available ones', async () => {
    const { status } = await g.json(`/unified/usage-metering/nope?${A}`)
    expect(status).toBe(404)
  })

  it.each(['0', '-1', '1001', 'abc', '2.5'])('refuses limit=%s with a message about limit', async (limit) => {
    const { status, body } = await g.json(`${LIST}&limit=${limit}`)
    expect(status).toBe(400)
    expect(body.message).toMatch(/limit/)
  })

  it('refuses an unknown response format and a malformed date', async () => {
    expect((await g.json(`${LIST}&truto_response_format=xml`)).status).toBe(400)
    const bad = await g.json(`${LIST}&date=yesterday`)
    expect(bad.status).toBe(400)
    expect(bad.body.message).toMatch(/date must be YYYY-MM-DD/)
  })

  it('defaults to 100 records per page', async () => {
    const { body } = await g.json(LIST)
    expect(body.result).toHaveLength(TOTAL)
    expect(body).toMatchObject({ next_cursor: null, prev_cursor: null, result_count: TOTAL })
  })

  // Members, then the pending invites (a `then` list): the boundary falls inside some pages.
  it.each([1, 7, 56, 57, 58, 1000])('walks every user and pending invite exactly once with limit=%i', async (limit) => {
    const { records, pages } = await walkAll(g, `${LIST}&limit=${limit}`)
    expect(records).toHaveLength(TOTAL)
    expect(new Set(records.map((r) => r.id)).size).toBe(TOTAL)
    expect(records.slice(USERS).map((r) => r.id)).toEqual(pending)
    expect(pages).toBe(Math.max(1, Math.ceil(TOTAL / limit)))
  })

  it('accepts `cursor` as an alias of next_cursor', async () => {
    const first = await g.json(`${LIST}&limit=10`)
    const second = await g.json(`${LIST}&limit=10&cursor=${encodeURIComponent(first.body.next_cursor)}`)
    expect(second.body.result[0].id).not.toBe(first.body.result[0].id)
  })

  it('honours limit exactly when the vendor sends more than asked (the cursor carries an offset)', async () => {
    sim.faults.add({ fault: { kind: 'oversized-page', factor: 5 }, times: -1, path: '/v1/organizations/users' })
    const { records } = await walkAll(g, `${LIST}&limit=4`)
    expect(records).toHaveLength(TOTAL)
    expect(new Set(records.map((r) => r.id)).size).toBe(TOTAL)
  })

  it('returns whole vendor pages with truto_ignore_limit', async () => {
    const { body } = await g.json(`${LIST}&limit=5&truto_ignore_limit=true`)
    expect(body.result).toHaveLength(USERS)
  })

  // A vendor filter is the users endpoint's: the filtered answer is that endpoint's alone (no invites).
  it('passes remote_query to the vendor as-is', async () => {
    const { body: all } = await g.json(`${LIST}&limit=3`)
    const email = all.result[1].emails[0].email
    const { body } = await g.json(`${LIST}&remote_query[email]=${encodeURIComponent(email)}`)
    expect(body.result.map((r: any) => r.id)).toEqual([all.result[1].id])
    const last = sim.requests.filter((r) => r.path === '/v1/organizations/users').at(-1)!
    expect(new URLSearchParams(last.query).get('email')).toBe(email)
  })
})

describe('cursors', () => {
  it('refuses garbage, tampered, foreign-account and foreign-resource cursors before calling the vendor', async () => {
    const { body } = await g.json(`${LIST}&limit=5`)
    const good: string = body.next_cursor
    const [payload, mac] = good.split('.')
    const tampered = `${payload.slice(0, -2)}${payload.endsWith('A') ? 'B' : 'A'}${payload.slice(-1)}.${mac}`
    const foreign = await g.services.cursors.encode(
      { accountId: 'someone-else', resource: 'usage-metering/users' },
      { s: null, o: 0, ps: 5 },
    )
    const otherResource = await g.services.cursors.encode(
      { accountId: 'sandbox-claude', resource: 'usage-metering/usage' },
      { s: null, o: 0, ps: 5 },
    )
    const before = usersRequests()
    for (const cursor of ['garbage', tampered, foreign, otherResource, `${payload}.`, 'a.b.c']) {
      const res = await g.json(`${LIST}&next_cursor=${encodeURIComponent(cursor)}`)
      expect(res.status).toBe(400)
      expect(res.body.code).toBe('invalid_cursor')
    }
    expect(usersRequests()).toBe(before)
  })
})

describe('formats and field options', () => {
  it('unified: mapped fields, remote_data, last_active_at from the usage report, the organization', async () => {
    const { body } = await g.json(`${LIST}&limit=5`)
    const user = body.result[0]
    expect(user).toMatchObject({ status: 'active', organization: { name: expect.any(String) } })
    expect(user.remote_data).toMatchObject({ id: user.id, type: 'user' })
    expect(user.emails[0]).toMatchObject({ is_primary: true })
    expect(user.created_at).toMatch(/Z$/)
    const withActivity = body.result.filter((u: any) => u.last_active_at)
    expect(withActivity.length).toBeGreaterThan(0)
  })

  it('the date parameter selects the activity day (no activity before anyone joined)', async () => {
    const { body } = await g.json(`${LIST}&limit=5&date=2020-01-01`)
    expect(body.result.every((u: any) => !u.last_active_at)).toBe(true)
  })

  it("a vendor's own list parameter: documented as that vendor's, validated for every account, ignored by the others", async () => {
    const spec = (await g.json('/openapi.json')).body
    const params = spec.paths['/unified/usage-metering/users'].get.parameters as Array<{ name: string; description?: string }>
    expect(params.find((p) => p.name === 'date')?.description).toMatch(/^Claude only: /)
    const openai = '/unified/usage-metering/users?integrated_account_id=sandbox-openai-codex&limit=5'
    const bad = await g.json(`${openai}&date=yesterday`)
    expect(bad.status).toBe(400)
    expect(bad.body.message).toMatch(/date must be YYYY-MM-DD/)
    const plain = await g.json(openai)
    const dated = await g.json(`${openai}&date=2020-01-01`)
    expect(dated.status).toBe(200)
    expect(dated.body.result).toEqual(plain.body.result)
  })

  it('normalized: exactly the schema keys, nulls for unknowns, ISO timestamps', async () => {
    const { body } = await g.json(`${LIST}&limit=3&truto_response_format=normalized`)
    const keys = Object.keys(usageMeteringUserSchema.shape).sort()
    for (const r of body.result) {
      expect(Object.keys(r).sort()).toEqual(keys)
      expect(r.spend_limit).toBeNull()
      expect(r.updated_at).toBeNull()
      expect(new Date(r.created_at).toISOString()).toBe(r.created_at)
    }
  })

  it('raw: the vendor body untouched, next cursor in a header', async () => {
    const res = await g.api(`${LIST}&limit=5&truto_response_format=raw`)
    const body = await res.json()
    expect(Object.keys(body).sort()).toEqual(['data', 'first_id', 'has_more', 'last_id'])
    expect(body.data).toHaveLength(5)
    const next = res.headers.get('x-unimeter-next-cursor')!
    const page2 = await (await g.api(`${LIST}&limit=5&truto_response_format=raw&next_cursor=${encodeURIComponent(next)}`)).json()
    expect(page2.data[0].id).not.toBe(body.data[0].id)
  })

  it('debug: the unified body plus the vendor exchange, with the key redacted', async () => {
    const { body } = await g.json(`${LIST}&limit=2&truto_response_format=debug`)
    expect(body.result.result).toHaveLength(2)
    expect(body.debug).toMatchObject({ isLooping: false, isEmptyResult: false, resultCount: 2, nextCursor: body.result.next_cursor })
    expect(body.debug.requestUrl).toContain('/v1/organizations/users')
    expect(body.debug.requestOptions.headers['x-api-key']).toBe('[REDACTED]')
    expect(JSON.stringify(body)).not.toContain(sim.credentials.api_key)
  })

  it('stream: NDJSON of every record across pages', async () => {
    const res = await g.api(`${LIST}&limit=10&truto_response_format=stream`)
    expect(res.headers.get('content-type')).toMatch(/application\/x-ndjson/)
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines).toHaveLength(TOTAL)
    expect(new Set(lines.map((l) => l.id)).size).toBe(TOTAL)
  })

  it('stream: an upstream failure mid-stream ends with an error line', async () => {
    // The first page is fetched before the response starts; the later pages fail.
    sim.faults.add({ fault: { kind: 'status', status: 403 }, times: -1, skip: 1, path: '/v1/organizations/users' })
    const res = await g.api(`${LIST}&limit=20&truto_response_format=stream`)
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines.length).toBeGreaterThanOrEqual(2)
    expect(lines.at(-1)).toMatchObject({ error: { statusCode: 403, truto_is_remote_error: true } })
  })

  it('truto_ignore_remote_data and truto_exclude_fields in every form', async () => {
    const noRemote = (await g.json(`${LIST}&limit=1&truto_ignore_remote_data=true`)).body.result[0]
    expect(noRemote.remote_data).toBeUndefined()
    for (const q of [
      'truto_exclude_fields[]=name&truto_exclude_fields[]=roles',
      'truto_exclude_fields[0]=name&truto_exclude_fields[1]=roles',
      'truto_exclude_fields=name&truto_exclude_fields=roles',
      'truto_exclude_fields=name,roles',
    ]) {
      const r = (await g.json(`${LIST}&limit=1&${q}`)).body.result[0]
      expect(r.name).toBeUndefined()
      expect(r.roles).toBeUndefined()
      expect(r.id).toBeDefined()
    }
    const nested = (await g.json(`${LIST}&limit=1&truto_exclude_fields=emails.is_primary`)).body.result[0]
    expect(nested.emails[0]).toEqual({ email: expect.any(String) })
  })

  it('truto_key_by turns result into a lookup table', async () => {
    const { body } = await g.json(`${LIST}&limit=4&truto_key_by=id`)
    expect(Array.isArray(body.result)).toBe(false)
    for (const [k, v] of Object.entries<any>(body.result)) expect(v.id).toBe(k)
    const bad = await g.json(`${LIST}&limit=4&truto_key_by=spend_limit`)
    expect(bad.status).toBe(400)
    expect(bad.body.code).toBe('invalid_key_by')
  })
})

describe('get', () => {
  it('returns the bare record in each format', async () => {
    const id = (await g.json(`${LIST}&limit=1`)).body.result[0].id
    const unified = await g.json(`/unified/usage-metering/users/${id}?${A}`)
    expect(unified.status).toBe(200)
    expect(unified.body).toMatchObject({ id, status: 'active' })
    const normalized = await g.json(
      `/unified/usage-metering/users/${id}?${A}&truto_response_format=normalized&truto_ignore_remote_data=true`,
    )
    expect(normalized.body.spend_limit).toBeNull()
    expect(normalized.body.remote_data).toBeUndefined()
    const raw = await g.json(`/unified/usage-metering/users/${id}?${A}&truto_response_format=raw`)
    expect(raw.body).toMatchObject({ id, type: 'user' })
    const debug = await g.json(`/unified/usage-metering/users/${id}?${A}&truto_response_format=debug`)
    expect(debug.body.result.id).toBe(id)
    expect(debug.body.debug.requestUrl).toContain(`/v1/organizations/users/${id}`)
    const stream = await g.api(`/unified/usage-metering/users/${id}?${A}&truto_response_format=stream`)
    expect(JSON.parse((await stream.text()).trim()).id).toBe(id)
  })

  it('maps the vendor 404 into the envelope', async () => {
    const { status, body } = await g.json(`/unified/usage-metering/users/user_nope?${A}`)
    expect(status).toBe(404)
    expect(body).toMatchObject({ statusCode: 404, truto_is_remote_error: true, code: 'not_found_error' })
    expect(body.raw_response.error.type).toBe('not_found_error')
  })

  it('keeps path-like ids inside one path segment', async () => {
    const from = sim.requests.length
    for (const id of ['..%2F..%2Forganizations%2Fme', 'a%2Fb', '%2E%2E']) {
      const res = await g.json(`/unified/usage-metering/users/${id}?${A}`)
      expect([400, 404]).toContain(res.status)
    }
    const userGets = sim.requests.slice(from).filter((r) => r.path.startsWith('/v1/organizations/users/'))
    expect(userGets.length).toBeGreaterThan(0)
    // Each id stayed one (encoded) segment: /v1/organizations/users/<segment>
    for (const r of userGets) expect(r.path.split('/')).toHaveLength(5)
  })
})

describe('vendor errors and resilience', () => {
  it('retries a 429 honouring retry-after, then succeeds', async () => {
    sim.faults.add({ fault: { kind: 'rate-limit', retryAfter: '0' }, times: 1, path: '/v1/organizations/users' })
    const before = usersRequests()
    const { status, body } = await g.json(`${LIST}&limit=3`)
    expect(status).toBe(200)
    expect(body.result).toHaveLength(3)
    expect(usersRequests() - before).toBe(2)
  })

  it('passes a 429 whose retry-after exceeds the cap straight to the caller', async () => {
    sim.faults.add({ fault: { kind: 'rate-limit', retryAfter: '120' }, times: 1, path: '/v1/organizations/users' })
    const res = await g.api(`${LIST}&limit=3`)
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('120')
    expect(await res.json()).toMatchObject({ statusCode: 429, truto_is_remote_error: true, code: 'rate_limit_error' })
  })

  it('gives up on a persistent 500 after the configured retries', async () => {
    sim.faults.add({ fault: { kind: 'status', status: 500 }, times: -1, path: '/v1/organizations/users' })
    const before = usersRequests()
    const { status, body } = await g.json(`${LIST}&limit=3`)
    expect(status).toBe(500)
    expect(body).toMatchObject({ truto_is_remote_error: true, code: 'api_error' })
    expect(usersRequests() - before).toBe(3)
  })

  it('marks the account needs_reauth on a vendor 401 and active again after a success', async () => {
    sim.faults.add({ fault: { kind: 'status', status: 401 }, times: 1, path: '/v1/organizations/users' })
    const events: string[] = []
    const off = g.services.events.on((e) => void events.push(e.event))
    expect((await g.json(`${LIST}&limit=1`)).status).toBe(401)
    expect((await g.json('/integrated-account/sandbox-claude')).body.status).toBe('needs_reauth')
    expect(events).toContain('integrated_account:authentication_error')
    expect((await g.json(`${LIST}&limit=1`)).status).toBe(200)
    expect((await g.json('/integrated-account/sandbox-claude')).body.status).toBe('active')
    off()
  })

  it('stops a vendor that repeats its cursor and says the result is partial', async () => {
    sim.faults.add({ fault: { kind: 'repeat-cursor' }, times: -1, path: '/v1/organizations/users' })
    const first = await g.json(`${LIST}&limit=5`)
    expect(first.body.next_cursor).toBeTruthy()
    // The second page asks for after_id=<last id>; the vendor answers the same last_id again.
    const { body } = await g.json(`${LIST}&limit=5&truto_response_format=debug&next_cursor=${encodeURIComponent(first.body.next_cursor)}`)
    expect(body.result.is_partial_response).toBe(true)
    expect(body.debug.isLooping).toBe(true)
    expect(body.result.next_cursor).toBeNull()
  })

  it('flags has_more without a cursor as partial', async () => {
    sim.faults.add({ fault: { kind: 'empty-has-more' }, times: -1, path: '/v1/organizations/users' })
    const { status, body } = await g.json(`${LIST}&limit=5`)
    expect(status).toBe(200)
    // The members list is stranded; the walk still goes on to the invites, flagged partial.
    expect(body.result.map((r: { id: string }) => r.id)).toEqual(pending.slice(0, 5))
    expect(body.is_partial_response).toBe(true)
  })

  it('answers malformed vendor JSON with 502 invalid_remote_response', async () => {
    sim.faults.add({ fault: { kind: 'malformed-json' }, times: 1, path: '/v1/organizations/users' })
    const { status, body } = await g.json(`${LIST}&limit=5`)
    expect(status).toBe(502)
    expect(body).toMatchObject({ code: 'invalid_remote_response', truto_is_remote_error: true })
  })
})
