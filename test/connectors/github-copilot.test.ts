/**
 * GitHub Copilot connector: GitHub's documented example responses → exact unified users (one
 * per seat), the schema's documented variants, get by account id or login, the headers GitHub
 * asks for, Link pagination that never leaves the base URL, GitHub's errors and rate limits, then
 * the conformance suites against the GitHub simulator.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { GITHUB_API_VERSION, githubCopilot } from '../../connectors/github-copilot/connector'
import { baseUrlOverrideKey } from '../../src/config/settings'
import { startSimServer, type SimServer } from '../../src/sandbox/simulator-kit'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit/types'
import { getSeat } from '../fixtures/github-copilot/get-seat'
import { listSeats } from '../fixtures/github-copilot/list-seats'
import { listSeatsSchemaVariants } from '../fixtures/github-copilot/list-seats.schema-variants'
import { walkAll } from '../support/gateway'
import { describeConnectorConformance } from './support/conformance'
import {
  createAccount,
  routeVendor,
  startVendorSimulator,
  useGateway,
  useReplayAccount,
  USERS_PATH,
  withSimulatedAccount,
} from './support/vendor-accounts'

const ORG = 'octo-org'
const SEATS = `GET /orgs/${ORG}/copilot/billing/seats`
const CONTEXT = { api_key: 'github_pat_11RECORDED0example', org: ORG }

/** Every seat's assignee id, walked through GitHub's own Link headers. */
async function seatIds(sim: RunningSimulator): Promise<string[]> {
  const ids: string[] = []
  let url: string | null = `${sim.baseUrl}/orgs/${sim.context.org}/copilot/billing/seats?per_page=100`
  while (url) {
    const res: Response = await fetch(url, { headers: { authorization: `Bearer ${sim.credentials.api_key}` } })
    const body = (await res.json()) as { seats: Array<{ assignee: { id: number } }> }
    ids.push(...body.seats.map((s) => String(s.assignee.id)))
    url = /<([^>]+)>; rel="next"/.exec(res.headers.get('link') ?? '')?.[1] ?? null
  }
  return ids
}

/** GitHub's documented octocat seat (list and get examples alike), unified field by field. */
const unifiedOctocat = (seat: unknown) => ({
  // GitHub's list example gives both assignees id 1; the mapping keeps what GitHub says.
  id: '1',
  name: 'octocat',
  first_name: null,
  last_name: null,
  emails: [],
  roles: [{ id: 'business', name: 'business' }],
  status: 'active',
  organization: { id: ORG, name: ORG },
  spend_limit: null,
  last_active_at: '2021-10-14T06:53:32.000Z',
  created_at: '2021-08-04T00:00:00.000Z',
  updated_at: null,
  remote_data: seat,
})

describe('github-copilot: the documented list example → unified users', () => {
  const vendor = useReplayAccount(
    'github-copilot',
    '',
    { [SEATS]: listSeats, [`GET /orgs/${ORG}/members/octocat/copilot`]: getSeat },
    CONTEXT,
  )
  const [first, second] = listSeats.seats

  it('maps each documented seat field by field', async () => {
    const { status, body } = await vendor.g.json(`${USERS_PATH}?${vendor.q}`)
    expect(status).toBe(200)
    expect(body).toMatchObject({ next_cursor: null, prev_cursor: null, result_count: 2 })
    const [octocat, octokitten] = body.result
    expect(octocat).toEqual(unifiedOctocat(first))
    expect(octokitten).toEqual({
      id: '1',
      name: 'octokitten',
      first_name: null,
      last_name: null,
      emails: [],
      // No plan_type on this seat in the example: no role rather than a guessed one.
      roles: [],
      // Its pending cancellation date (2021-11-01) has passed: access has ended.
      status: 'inactive',
      organization: { id: ORG, name: ORG },
      spend_limit: null,
      last_active_at: '2021-10-13T06:53:32.000Z',
      created_at: '2021-09-24T00:00:00.000Z',
      updated_at: null,
      remote_data: second,
    })
  })

  it('asks for seats the way GitHub documents: per_page on the first request, no page guessing', async () => {
    await vendor.g.json(`${USERS_PATH}?${vendor.q}&limit=7`)
    const sent = new URLSearchParams(vendor.replay.requests.filter((r) => r.path.endsWith('/seats')).at(-1)!.query)
    expect(Object.fromEntries(sent)).toEqual({ per_page: '7' })
  })

  it("gets a user by login from GitHub's seat get (the documented example), field by field", async () => {
    const before = vendor.replay.requests.length
    const { status, body } = await vendor.g.json(`${USERS_PATH}/octocat?${vendor.q}`)
    expect(status).toBe(200)
    expect(body).toEqual(unifiedOctocat(getSeat))
    // One request, to the seat get: no walk through the seats.
    expect(vendor.replay.requests.slice(before).map((r) => r.path)).toEqual([`/orgs/${ORG}/members/octocat/copilot`])
    expect((await vendor.g.json(`${USERS_PATH}/nobody?${vendor.q}`)).status).toBe(404)
  })

  it('gets a user by numeric account id through the seat list', async () => {
    const before = vendor.replay.requests.length
    const { body } = await vendor.g.json(`${USERS_PATH}/1?${vendor.q}`)
    // Both documented assignees have id 1: the first seat listed answers.
    expect(body).toMatchObject({ id: '1', name: 'octocat', remote_data: first })
    expect(vendor.replay.requests.slice(before).map((r) => r.path)).toEqual([`/orgs/${ORG}/copilot/billing/seats`])
  })
})

describe("github-copilot: the schema's documented variants → unified users", () => {
  const vendor = useReplayAccount('github-copilot', '', { [SEATS]: listSeatsSchemaVariants }, CONTEXT)
  const [, mona, hubot, octodog] = listSeatsSchemaVariants.seats

  it('leaves out the seat without an assignee and maps each variant', async () => {
    const { body } = await vendor.g.json(`${USERS_PATH}?${vendor.q}`)
    expect(body.result.map((u: { id: string }) => u.id)).toEqual(['583231', '2', '3'])
    const [first, second, third] = body.result
    expect(first).toEqual({
      id: '583231',
      name: 'Mona Lisa Octocat',
      first_name: 'Mona',
      last_name: 'Lisa Octocat',
      emails: [{ email: 'mona@github.com', is_primary: true }],
      roles: [{ id: 'enterprise', name: 'enterprise' }],
      status: 'active',
      // The seat names its organization: that login wins over the account's org.
      organization: { id: 'github', name: 'github' },
      spend_limit: null,
      last_active_at: '2021-10-14T06:53:32.000Z',
      created_at: '2021-08-04T00:00:00.000Z',
      updated_at: null,
      remote_data: mona,
    })
    expect(second).toEqual({
      id: '2',
      name: 'hubot',
      first_name: null,
      last_name: null,
      emails: [],
      roles: [{ id: 'unknown', name: 'unknown' }],
      status: 'active',
      organization: { id: ORG, name: ORG },
      spend_limit: null,
      // Never used Copilot: last_active_at is null (the unified format has every field, null when unknown).
      last_active_at: null,
      created_at: '2021-09-24T00:00:00.000Z',
      updated_at: null,
      remote_data: hubot,
    })
    // A cancellation still ahead keeps the seat active until that date.
    expect(third).toMatchObject({ id: '3', status: 'active', remote_data: octodog })
  })

  it('normalized: every schema key, last_active_at null when never used', async () => {
    const { body } = await vendor.g.json(`${USERS_PATH}?${vendor.q}&truto_response_format=normalized`)
    expect(body.result[1]).toMatchObject({ id: '2', last_active_at: null })
  })

  it('raw: the vendor body as GitHub sent it, the assignee-less seat included', async () => {
    const { body } = await vendor.g.json(`${USERS_PATH}?${vendor.q}&truto_response_format=raw`)
    expect(body).toEqual(listSeatsSchemaVariants)
  })
})

/** A vendor whose every answer is decided by the test: to see what the connector sends and what it follows. */
async function scriptedVendor(
  answer: (
    req: { path: string; query: URLSearchParams; headers: Record<string, unknown> },
    origin: string,
  ) => { status?: number; body: unknown; headers?: Record<string, string> },
) {
  const seen: Array<{ path: string; query: string; headers: Record<string, unknown>; at: number }> = []
  let origin = ''
  const server: SimServer = await startSimServer({
    vendor: {
      errorBody: (status, message) => ({ message, documentation_url: 'https://docs.github.com/rest', status: String(status) }),
      defaultRetryAfter: null,
    },
    routes: [
      {
        method: 'GET',
        pattern: '/orgs/:org/copilot/billing/seats',
        handler: (req) => {
          seen.push({ path: req.path, query: req.query.toString(), headers: req.headers, at: Date.now() })
          return answer(req, origin)
        },
      },
    ],
  })
  origin = server.origin
  return { server, seen }
}

const seatPage = (ids: number[]) => ({
  total_seats: ids.length,
  seats: ids.map((id) => ({ ...listSeats.seats[0], assignee: { ...listSeats.seats[0].assignee, id, login: `user-${id}` } })),
})

describe('github-copilot: requests, pagination and errors against a scripted GitHub', () => {
  const gateway = useGateway({ sandbox: false, env: { UNIMETER_RETRY_MAX: '2', UNIMETER_RETRY_AFTER_CAP_MS: '3000' } })
  let vendor: Awaited<ReturnType<typeof scriptedVendor>> | undefined
  let respond: Parameters<typeof scriptedVendor>[0] = () => ({ body: seatPage([1]) })

  beforeAll(async () => {
    vendor = await scriptedVendor((req, origin) => respond(req, origin))
    routeVendor(gateway.g, 'github-copilot', vendor.server.origin)
  })
  afterAll(async () => {
    await vendor?.server.close()
  })
  afterEach(() => {
    respond = () => ({ body: seatPage([1]) })
    vendor!.seen.length = 0
  })

  async function account(): Promise<string> {
    const created = await createAccount(gateway.g, 'github-copilot', CONTEXT)
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    // The verification request is not what the test is about.
    vendor!.seen.length = 0
    return `${USERS_PATH}?integrated_account_id=${encodeURIComponent(created.body.id)}`
  }

  it("sends the bearer token, GitHub's media type and the pinned API version", async () => {
    const list = await account()
    expect((await gateway.g.json(`${list}&limit=2`)).status).toBe(200)
    const { headers, query } = vendor!.seen.at(-1)!
    expect(headers.authorization).toBe(`Bearer ${CONTEXT.api_key}`)
    expect(headers.accept).toBe('application/vnd.github+json')
    expect(headers['x-github-api-version']).toBe(GITHUB_API_VERSION)
    expect(GITHUB_API_VERSION).toBe('2022-11-28')
    expect(query).toBe('per_page=2')
  })

  it('follows rel="next" links (relative ones too) until there is none', async () => {
    const list = await account()
    respond = (req, origin) => {
      const page = Number(req.query.get('page') ?? '1')
      const links: Record<number, string> = {
        1: `<${origin}/orgs/${ORG}/copilot/billing/seats?per_page=2&page=2>; rel="next", <${origin}/orgs/${ORG}/copilot/billing/seats?per_page=2&page=3>; rel="last"`,
        2: `</orgs/${ORG}/copilot/billing/seats?per_page=2&page=1>; rel="prev", </orgs/${ORG}/copilot/billing/seats?per_page=2&page=3>; rel="next"`,
        3: `</orgs/${ORG}/copilot/billing/seats?per_page=2&page=2>; rel="prev", </orgs/${ORG}/copilot/billing/seats?per_page=2&page=1>; rel="first"`,
      }
      return { body: seatPage([page * 10 + 1, page * 10 + 2]), headers: { link: links[page] } }
    }
    const { records, pages } = await walkAll(gateway.g, `${list}&limit=2`)
    expect(records.map((r) => r.id)).toEqual(['11', '12', '21', '22', '31', '32'])
    expect(pages).toBe(3)
    expect(vendor!.seen.map((s) => s.query)).toEqual(expect.arrayContaining(['per_page=2', 'per_page=2&page=2', 'per_page=2&page=3']))
  })

  it('never follows a next link to another host: 502, and the other host is not called', async () => {
    const list = await account()
    let foreignCalls = 0
    const foreign = await startSimServer({
      vendor: { errorBody: () => ({}) },
      routes: [{ method: 'GET', pattern: '/orgs/:org/copilot/billing/seats', handler: () => (foreignCalls++, { body: seatPage([99]) }) }],
    })
    try {
      respond = () => ({
        body: seatPage([1, 2]),
        headers: { link: `<${foreign.origin}/orgs/${ORG}/copilot/billing/seats?page=2>; rel="next"` },
      })
      const { status, body } = await gateway.g.json(`${list}&limit=5`)
      expect(status).toBe(502)
      expect(body).toMatchObject({ code: 'invalid_remote_response' })
      expect(body.message).toContain('another host')
      expect(foreignCalls).toBe(0)
    } finally {
      await foreign.close()
    }
  })

  it('waits for x-ratelimit-reset on a 403 whose primary limit is exhausted, then goes on', async () => {
    const list = await account()
    let failed = 0
    let reset = ''
    respond = () => {
      if (failed++ > 0) return { body: seatPage([1]) }
      reset = String(Math.ceil(Date.now() / 1000) + 1)
      return {
        status: 403,
        body: {
          message: 'API rate limit exceeded for user ID 1.',
          documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
          status: '403',
        },
        headers: {
          'x-ratelimit-limit': '5000',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-used': '5000',
          'x-ratelimit-reset': reset,
          'x-ratelimit-resource': 'core',
        },
      }
    }
    const { status, body } = await gateway.g.json(`${list}&limit=1`)
    expect(status, JSON.stringify(body)).toBe(200)
    expect(body.result.map((r: { id: string }) => r.id)).toEqual(['1'])
    expect(failed).toBe(2)
    // Lower bound only (never an upper one): the retry came no sooner than the reset.
    expect(vendor!.seen[1].at).toBeGreaterThanOrEqual(Number(reset) * 1000 - 5)
  })

  it('reports an exhausted limit that resets too late as 429, with retry-after until the reset', async () => {
    const list = await account()
    respond = () => ({
      status: 403,
      body: { message: 'API rate limit exceeded for user ID 1.', documentation_url: 'https://docs.github.com/rest', status: '403' },
      headers: {
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 600),
      },
    })
    const res = await gateway.g.api(`${list}&limit=1`)
    const body = await res.json()
    expect(res.status).toBe(429)
    expect(body).toMatchObject({ statusCode: 429, truto_is_remote_error: true, message: 'API rate limit exceeded for user ID 1.' })
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(590)
    expect(res.headers.get('ratelimit-remaining')).toBe('0')
    expect(vendor!.seen).toHaveLength(1)
  })

  it('retries a secondary rate limit (403 with retry-after)', async () => {
    const list = await account()
    let calls = 0
    respond = () =>
      calls++ === 0
        ? {
            status: 403,
            body: {
              message: 'You have exceeded a secondary rate limit.',
              documentation_url: 'https://docs.github.com/rest',
              status: '403',
            },
            headers: { 'retry-after': '1' },
          }
        : { body: seatPage([5]) }
    const { status } = await gateway.g.json(`${list}&limit=1`)
    expect(status).toBe(200)
    expect(calls).toBe(2)
  })

  it('a secondary rate limit without retry-after is a 429 (not retried: GitHub asks for a minute)', async () => {
    const list = await account()
    respond = () => ({
      status: 403,
      body: {
        message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        documentation_url: 'https://docs.github.com/rest',
        status: '403',
      },
    })
    const { status, body } = await gateway.g.json(`${list}&limit=1`)
    expect(status).toBe(429)
    expect(body.message).toContain('secondary rate limit')
    expect(vendor!.seen).toHaveLength(1)
  })

  it('a 403 for missing permissions stays a 403 and is not retried', async () => {
    const list = await account()
    respond = () => ({
      status: 403,
      body: {
        message: 'Resource not accessible by personal access token',
        documentation_url: 'https://docs.github.com/rest',
        status: '403',
      },
      headers: { 'x-ratelimit-remaining': '4999' },
    })
    const { status, body } = await gateway.g.json(`${list}&limit=1`)
    expect(status).toBe(403)
    expect(body).toMatchObject({ message: 'Resource not accessible by personal access token', raw_response: { status: '403' } })
    expect(vendor!.seen).toHaveLength(1)
  })

  it('a 422 says what it means: Copilot not enabled, or an invitation still pending', async () => {
    const list = await account()
    respond = () => ({
      status: 422,
      body: {
        message: 'Copilot Business is not enabled for this organization.',
        documentation_url: 'https://docs.github.com/rest',
        status: '422',
      },
    })
    const { status, body } = await gateway.g.json(`${list}&limit=1`)
    expect(status).toBe(422)
    expect(body.message).toContain('Copilot Business is not enabled for this organization.')
    expect(body.message).toContain('pending organization invitation')
  })
})

describe('github-copilot: accounts and simulator data', () => {
  const gateway = useGateway()
  let sim: RunningSimulator
  beforeAll(async () => {
    sim = await startVendorSimulator('github-copilot', { users: 12 })
    routeVendor(gateway.g, 'github-copilot', sim.baseUrl)
  })
  afterAll(async () => {
    await sim?.close()
  })

  it('is pointed elsewhere by UNIMETER_GITHUB_COPILOT_BASE_URL, api.github.com by default', () => {
    expect(baseUrlOverrideKey('github-copilot')).toBe('UNIMETER_GITHUB_COPILOT_BASE_URL')
    expect(githubCopilot.definition.baseUrl).toBe('https://api.github.com')
  })

  it('requires org, naming the field', async () => {
    const { status, body } = await createAccount(gateway.g, 'github-copilot', { api_key: sim.credentials.api_key })
    expect(status).toBe(400)
    expect(body).toMatchObject({ code: 'missing_credential', details: { field: 'context.org' } })
  })

  it('accepts every documented token form (GitHub, not a pattern, judges the token)', async () => {
    for (const api_key of [
      'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
      'github_pat_11ABCDEFG0abcdefghijkl_mnopqrstuvwxyz0123456789',
      'ghs_16C7e42F292c6912E7710c838347Ae178B4a',
    ]) {
      const { status, body } = await createAccount(gateway.g, 'github-copilot', { ...sim.context, api_key })
      // The simulator knows one token: the others reach GitHub's own 401, not a local refusal.
      expect(status).toBe(401)
      expect(body.message).toContain('Bad credentials')
    }
  })

  it('keeps org in the account context (it is not a secret), case as given', async () => {
    const { status, body } = await createAccount(gateway.g, 'github-copilot', { ...sim.credentials, org: sim.context.org.toUpperCase() })
    expect(status).toBe(201)
    expect(body.context).toEqual({ org: sim.context.org.toUpperCase() })
  })

  it("an organization the token cannot see is GitHub's 404", async () => {
    const { status, body } = await createAccount(gateway.g, 'github-copilot', { ...sim.credentials, org: 'someone-else' })
    expect(status).toBe(404)
    expect(body).toMatchObject({ truto_is_remote_error: true, raw_response: { message: 'Not Found', status: '404' } })
  })

  it('gets a user by account id or by login, the same record as the list', async () => {
    await withSimulatedAccount(gateway.g, 'github-copilot', { users: 130 }, async (account) => {
      const { records } = await walkAll(gateway.g, `${account.list}&limit=60`)
      expect(records).toHaveLength(130)
      const late = records[120]
      expect((await gateway.g.json(account.get(late.id))).body).toEqual(late)
      // By login: GitHub's seat get, which answers the same seat.
      expect((await gateway.g.json(account.get(late.remote_data.assignee.login))).body).toEqual(late)
      expect((await gateway.g.json(account.get('not-a-member'))).status).toBe(404)
      expect(records.every((r) => r.organization.id === account.sim.context.org)).toBe(true)
    })
  })
})

describe('github-copilot: the seat get on an organization without Copilot', () => {
  const gateway = useGateway({ sandbox: false })

  it("is GitHub's 422, with a message saying what it means", async () => {
    await withSimulatedAccount(gateway.g, 'github-copilot', { users: 3, variant: { copilot: 'off' } }, async (account) => {
      const { status, body } = await gateway.g.json(account.get('anyone'))
      expect(status).toBe(422)
      expect(body).toMatchObject({ statusCode: 422, truto_is_remote_error: true, raw_response: { status: '422' } })
      expect(body.message).toContain('Copilot Business or Enterprise is not enabled for this organization.')
      expect(body.message).toContain('pending organization invitation')
    })
  })
})

describeConnectorConformance({
  connector: 'github-copilot',
  listPath: '/copilot/billing/seats',
  pageLimit: 5,
  extraWalks: [
    // Above the 100 seats a GitHub page holds: gateway pages fill from two vendor pages.
    { users: 250, limit: 150 },
    { users: 23, limit: 5, variant: { plan: 'enterprise' } },
  ],
  vendorIds: seatIds,
  rawRecords: (body) => body.seats,
  rawId: (record) => String(record.assignee.id),
  errorStatuses: [400, 401, 403, 404, 429, 500, 503],
  vendorMessage: (raw) => raw.message,
})
