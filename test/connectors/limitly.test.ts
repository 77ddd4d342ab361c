/**
 * Limitly connector: the documented examples (test/fixtures/limitly, docs and SDK envelopes) → exact unified users
 * with the `plan` and `usage` extension fields, Limitly error codes → contract statuses, page
 * walks of odd sizes in both envelopes, every response format on the sandbox account, and the
 * shared vendor-error and verification suites against the Limitly simulator.
 */
import { unifiedUser } from '../support/unified-user'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { usageMeteringUserSchema } from '../../src/models/usage-metering/users'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit/types'
import { walkAll } from '../support/gateway'
import { describeVendorErrors, describeVerification, expectNormalizedUsers, type ConnectorSuite } from './support/conformance'
import { teamUsers, user, userUsage } from '../../connectors/limitly/wire-schemas'
import DOCS_USERS from '../fixtures/limitly/users'
import DOCS_USER from '../fixtures/limitly/users-id'
import DOCS_USAGE from '../fixtures/limitly/users-id-usage'
import SDK_USERS from '../fixtures/limitly/users.sdk'
import { useGateway, useReplayAccount, USERS_PATH, withSimulatedAccount } from './support/vendor-accounts'
import { bearerJson, expectWire, onEachVariant } from './support/wire'

const BASE_PATH = '/functions/v1'

/** The documented examples (test/fixtures/limitly). */
const DOCS_LIST = DOCS_USERS
const USAGE = DOCS_USAGE
const SDK_LIST = SDK_USERS

const john = unifiedUser({
  id: '123',
  name: 'John Doe',
  emails: [{ email: 'john@example.com', is_primary: true }],
  status: 'active',
  created_at: '2024-01-01T00:00:00.000Z',
  updated_at: '2024-01-01T00:00:00.000Z',
  plan: null,
  usage: null,
  remote_data: DOCS_LIST.data[0],
})
const planView = { id: 'plan_123', name: 'Basic Plan', max_requests: 10000, request_period: 'month' }

describe('limitly: the docs envelope, recorded → unified users', () => {
  const docs = useReplayAccount('limitly', BASE_PATH, { 'GET /users': DOCS_LIST }, { api_key: 'lk_docs0000000000000000000000000000' })

  it('maps {data, count} exactly', async () => {
    const { body } = await docs.g.json(`${USERS_PATH}?${docs.q}`)
    expect(body).toEqual({ result: [john], next_cursor: null, prev_cursor: null, result_count: 1 })
    expect(docs.replay.requests.at(-1)!.query).toBe('?limit=100&page=1')
  })
})

describe('limitly: the docs envelope, get with usage', () => {
  const docs = useReplayAccount(
    'limitly',
    BASE_PATH,
    { 'GET /users': DOCS_LIST, 'GET /users/123': DOCS_USER, 'GET /users/123/usage': USAGE },
    { api_key: 'lk_docs0000000000000000000000000000' },
  )

  it('maps {data} and the usage example field by field', async () => {
    const { status, body } = await docs.g.json(`${USERS_PATH}/123?${docs.q}`)
    expect(status).toBe(200)
    expect(body).toEqual({
      ...john,
      // No plan on the user: the period is unknown, the plan name comes from the usage.
      usage: { current_usage: 45, limit: 1000, remaining: 955, reset_time: null, period: null, plan_name: 'Basic Plan' },
      remote_data: { ...DOCS_USER.data, usage: USAGE.data },
    })
  })
})

describe('limitly wire schemas', () => {
  it('accept every documented example', () => {
    expectWire(teamUsers, DOCS_LIST, 'users (docs)')
    expectWire(teamUsers, SDK_LIST, 'users (sdk)')
    expectWire(user, DOCS_USER, 'user')
    expectWire(userUsage, USAGE, 'usage')
  })

  it('accept the simulator in both envelopes', async () => {
    await onEachVariant('limitly', 12, [{ envelope: 'docs' }, { envelope: 'sdk' }], async (sim, what) => {
      const page = await bearerJson(sim, '/users?page=1&limit=10')
      expectWire(teamUsers, page, what)
      for (const u of page.data.slice(0, 3)) {
        expectWire(user, await bearerJson(sim, `/users/${u.user_id}`), what)
        expectWire(userUsage, await bearerJson(sim, `/users/${u.user_id}/usage`), what)
      }
    })
  })
})

describe('limitly: the SDK envelope, recorded → unified users', () => {
  const sdk = useReplayAccount(
    'limitly',
    BASE_PATH,
    {
      'GET /users': SDK_LIST,
      'GET /users/123': { success: true, data: SDK_LIST.data[0] },
      'GET /users/123/usage': USAGE,
      // Limitly failures that arrive with a 200: the code decides the status.
      'GET /users/404': { success: false, error: 'User not found', code: 'USER_NOT_FOUND' },
      'GET /users/400': {
        success: false,
        error: 'Validation failed',
        code: 'VALIDATION_ERROR',
        details: { field: 'id', message: 'User ID must be a number' },
      },
      'GET /users/429': { success: false, error: 'Rate limit exceeded', code: 'RATE_LIMIT_EXCEEDED' },
      'GET /users/401': { success: false, error: 'Invalid API key', code: 'INVALID_API_KEY' },
    },
    { api_key: 'lk_sdk00000000000000000000000000000' },
  )

  it('maps {success, data, count} exactly: plan inline, no usage on list, disabled → inactive', async () => {
    const { body } = await sdk.g.json(`${USERS_PATH}?${sdk.q}`)
    expect(body.result).toEqual([
      { ...john, plan: planView, remote_data: SDK_LIST.data[0] },
      unifiedUser({
        id: '124',
        name: 'Jane Roe',
        emails: [],
        status: 'inactive',
        created_at: '2024-02-01T10:00:00.000Z',
        updated_at: '2024-03-05T08:30:00.000Z',
        plan: null,
        usage: null,
        remote_data: SDK_LIST.data[1],
      }),
    ])
    // Usage is never fetched per listed user.
    expect(sdk.replay.requests.some((r) => r.path.endsWith('/usage'))).toBe(false)
  })

  it('get joins the current usage (remaining derived, period from the plan) into `usage` and remote_data', async () => {
    const { status, body } = await sdk.g.json(`${USERS_PATH}/123?${sdk.q}`)
    expect(status).toBe(200)
    expect(body).toEqual({
      ...john,
      plan: planView,
      usage: { current_usage: 45, limit: 1000, remaining: 955, reset_time: null, period: 'month', plan_name: 'Basic Plan' },
      remote_data: { ...SDK_LIST.data[0], usage: USAGE.data },
    })
  })

  it.each([
    [404, 'USER_NOT_FOUND', 'User not found'],
    [400, 'VALIDATION_ERROR', 'Validation failed (id: User ID must be a number)'],
    [429, 'RATE_LIMIT_EXCEEDED', 'Rate limit exceeded'],
    [401, 'INVALID_API_KEY', 'Invalid API key'],
  ])('a 200 that says success:false is a %i (%s) envelope', async (status, code, message) => {
    const { status: got, body } = await sdk.g.json(`${USERS_PATH}/${status}?${sdk.q}`)
    expect(got).toBe(status)
    expect(body).toMatchObject({ statusCode: status, code, message, truto_is_remote_error: true })
    expect(body.raw_response).toMatchObject({ success: false, code })
  })
})

/** Every user id the simulator holds, read straight from it. */
async function limitlyIds(sim: RunningSimulator): Promise<string[]> {
  const ids: string[] = []
  for (let page = 1; ; page++) {
    const res = await fetch(`${sim.baseUrl}/users?page=${page}&limit=100`, {
      headers: { authorization: `Bearer ${sim.credentials.api_key}` },
    })
    const data = ((await res.json()) as { data: Array<{ user_id: number }> }).data
    ids.push(...data.map((u) => String(u.user_id)))
    if (data.length < 100) return ids
  }
}

describe('limitly: page walks through the gateway', () => {
  const gateway = useGateway({ sandbox: false })
  const P = 7
  // Limitly ends on a short page: a walk is floor(N/limit)+1 pages (an exact multiple ends on an empty one).
  const walks = (['sdk', 'docs'] as const).flatMap((envelope) => [
    ...[0, 1, P - 1, P, P + 1, 3 * P + 2].map((users) => ({ users, limit: P, envelope, pages: Math.floor(users / P) + 1 })),
    // Above Limitly's maximum of 100: each gateway page is filled from several vendor pages.
    { users: 301, limit: 250, envelope, pages: 2 },
  ])

  it.each(walks)(
    'returns each of $users users exactly once with limit=$limit ($envelope envelope)',
    async ({ users, limit, envelope, pages }) => {
      await withSimulatedAccount(gateway.g, 'limitly', { users, variant: { envelope } }, async (account) => {
        const expected = await limitlyIds(account.sim)
        expect(expected).toHaveLength(users)
        const walk = await walkAll(gateway.g, `${account.list}&limit=${limit}`)
        expect(walk.records.map((r) => r.id)).toEqual(expected)
        expect(walk.pages).toBe(pages)
        expect(account.sim.requests.filter((r) => r.path.endsWith('/usage'))).toEqual([])
      })
    },
  )
})

describe('limitly: every response format on the sandbox account', () => {
  const gateway = useGateway({})
  const g = () => gateway.g
  let sim: RunningSimulator
  let all: any[]
  const A = 'integrated_account_id=sandbox-limitly'
  const list = (query: string) => g().json(`${USERS_PATH}?${A}&${query}`)
  const get = (id: string, query = '') => g().json(`${USERS_PATH}/${encodeURIComponent(id)}?${A}&${query}`)

  beforeAll(async () => {
    sim = g().sandbox!.simulators.get('limitly')!
    all = (await walkAll(g(), `${USERS_PATH}?${A}&limit=1000`)).records
  })
  afterEach(() => sim.faults.clear())

  it('unified: the envelope, the plan extension field, no rate-limit headers (Limitly sends none on /users)', async () => {
    const { status, body, headers } = await list('limit=5')
    expect(status).toBe(200)
    expect(body).toMatchObject({ result_count: 5, prev_cursor: null })
    expect(body.result).toEqual(all.slice(0, 5))
    for (const r of all) {
      expect(usageMeteringUserSchema.partial().safeParse(r).success).toBe(true)
      expect(r.plan).toEqual(
        r.remote_data.plan
          ? {
              id: r.remote_data.plan.id,
              name: r.remote_data.plan.name,
              max_requests: r.remote_data.plan.max_requests,
              request_period: r.remote_data.plan.request_period,
            }
          : null,
      )
      expect(r.status).toBe(r.remote_data.is_disabled ? 'inactive' : 'active')
    }
    // The docs show X-RateLimit-* on /validate only: no vendor window to pass on (the headers
    // left are the gateway's own budget, not Limitly's 1000 a minute).
    expect(headers.get('ratelimit-limit')).not.toBe('1000')
  })

  it('normalized: exactly the schema keys (extension fields are not part of it)', async () => {
    expectNormalizedUsers((await list('limit=5&truto_response_format=normalized')).body.result)
  })

  it('raw: the vendor body itself', async () => {
    const { body } = await list('limit=5&truto_response_format=raw')
    expect(body).toMatchObject({ success: true, count: all.length })
    expect(body.data.map((u: any) => String(u.user_id))).toEqual(all.slice(0, 5).map((r) => r.id))
  })

  it('stream: NDJSON of every record across pages', async () => {
    const res = await g().api(`${USERS_PATH}?${A}&limit=4&truto_response_format=stream`)
    expect(res.headers.get('content-type')).toContain('application/x-ndjson')
    expect(
      (await res.text())
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual(all)
  })

  it('debug: the unified body and the vendor exchange, without the key', async () => {
    const { body } = await list('limit=5&truto_response_format=debug')
    expect(body.result.result).toEqual(all.slice(0, 5))
    expect(body.debug.requestUrl).toContain('/functions/v1/users?limit=5&page=1')
    expect(JSON.stringify(body)).not.toContain(sim.credentials.api_key)
  })

  it('get: the list record plus its current usage, in every format', async () => {
    const target = all.find((r) => r.plan)!
    const usage = (
      (await (
        await fetch(`${sim.baseUrl}/users/${target.id}/usage`, { headers: { authorization: `Bearer ${sim.credentials.api_key}` } })
      ).json()) as any
    ).data
    const { body } = await get(target.id)
    const { usage: got, remote_data: remote, ...rest } = body
    const { usage: _none, remote_data: listed, ...expectedRest } = target
    expect(rest).toEqual(expectedRest)
    expect(remote).toEqual({ ...listed, usage: expect.objectContaining({ user_name: target.name, limit: target.plan.max_requests }) })
    expect(got).toEqual({
      current_usage: expect.any(Number),
      limit: target.plan.max_requests,
      remaining: Math.max(0, target.plan.max_requests - got.current_usage),
      reset_time: new Date(usage.period_end).toISOString(),
      period: target.plan.request_period,
      plan_name: target.plan.name,
    })
    const normalized = (await get(target.id, 'truto_response_format=normalized')).body
    expectNormalizedUsers([normalized])
    expect(normalized.id).toBe(target.id)
    const debug = (await get(target.id, 'truto_response_format=debug')).body
    expect(debug.result.id).toBe(target.id)
    expect(debug.debug.requestUrl).toContain(`/users/${target.id}`)
    const raw = (await get(target.id, 'truto_response_format=raw')).body
    expect(raw).toEqual({ success: true, data: listed })
    const stream = await g().api(`${USERS_PATH}/${target.id}?${A}&truto_response_format=stream`)
    expect(JSON.parse((await stream.text()).trim())).toMatchObject({ id: target.id, usage: { plan_name: target.plan.name } })
  })

  it('get: an unlimited (plan-less) user has usage with null limit and remaining', async () => {
    const target = all.find((r) => !r.plan)!
    const { body } = await get(target.id)
    expect(body.plan).toBeNull()
    expect(body.usage).toMatchObject({ limit: null, remaining: null, period: null, plan_name: null })
    expect(body.usage.current_usage).toBeTypeOf('number')
  })

  it("get: an unknown id is Limitly's 404, a non-numeric id its 400 saying what is wrong", async () => {
    const missing = await get('999999')
    expect(missing.status).toBe(404)
    expect(missing.body).toMatchObject({ statusCode: 404, error: 'Not Found', code: 'USER_NOT_FOUND', message: 'User not found' })
    const bad = await get('abc')
    expect(bad.status).toBe(400)
    expect(bad.body).toMatchObject({
      statusCode: 400,
      code: 'VALIDATION_ERROR',
      message: 'Validation failed (id: User ID must be a number)',
    })
  })

  it('a Limitly 429 (RATE_LIMIT_EXCEEDED, no Retry-After, no headers) reaches the caller as a 429', async () => {
    sim.faults.add({ fault: { kind: 'rate-limit' }, times: -1, path: '/users' })
    const { status, body, headers } = await list('limit=3')
    expect(status).toBe(429)
    expect(body).toMatchObject({
      statusCode: 429,
      code: 'RATE_LIMIT_EXCEEDED',
      message: 'Rate limit exceeded',
      truto_is_remote_error: true,
    })
    expect(headers.get('ratelimit-limit')).not.toBe('1000')
  })
})

const suite: ConnectorSuite = {
  connector: 'limitly',
  listPath: '/functions/v1/users',
  pageLimit: 7,
  vendorIds: limitlyIds,
  rawRecords: (body) => body.data,
  rawId: (record) => String(record.user_id),
  errorStatuses: [400, 401, 403, 404, 429, 500],
  vendorMessage: (raw) => raw.error,
}
describeVendorErrors(suite)
describeVerification(suite)
