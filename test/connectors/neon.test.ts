/**
 * Neon connector: recorded API v2 answers → exact unified users (members, the organization,
 * invitations as invited users), get by user or member id, the org_id context field, then the
 * conformance suites against the Neon simulator, in its paginated and unpaginated forms.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit/types'
import { walkAll } from '../support/gateway'
import { describeConnectorConformance } from './support/conformance'
import { createAccount, routeVendor, startVendorSimulator, useGateway, useReplayAccount, USERS_PATH, withSimulatedAccount } from './support/vendor-accounts'

const ORG_ID = 'my-organization-morning-bread-81040908'

/** providers.md §4.3, the 2025-10 spec example (no pagination). */
const MEMBERS = {
  members: [
    {
      member: { id: 'd57833f2-d308-4ede-9d2e-468d9d013d1b', user_id: 'b107d689-6dd2-4c9a-8b9e-0b25e457cf56', org_id: ORG_ID, role: 'admin', joined_at: '2024-02-23T17:42:25Z' },
      user: { email: 'user1@email.com' },
    },
    {
      member: { id: '5fee13ac-957b-40cd-8de0-4d494cc28e28', user_id: '6df052ac-ca9a-4321-8963-b6507b2d7dee', org_id: ORG_ID, role: 'member', joined_at: '2024-02-21T16:42:25Z' },
      user: { email: 'user2@email.com' },
    },
  ],
}
/** providers.md §4.3, the invitations example. */
const INVITATIONS = {
  invitations: [{ id: 'db8faf32-b07f-4b0f-94c8-5c288909f5d3', email: 'invited1@email.com', org_id: ORG_ID, invited_by: 'some@email.com', role: 'admin', invited_at: '2024-02-23T17:42:25Z' }],
}
/** The Organization schema's required fields (§4.2 has no verbatim example), with the members' org id. */
const ORGANIZATION = { id: ORG_ID, name: 'Morning Bread', handle: ORG_ID, plan: 'business', created_at: '2024-02-01T10:00:00Z', updated_at: '2024-02-01T10:00:00Z', managed_by: 'console' }
/** providers.md §4.2, the recorded /users/me (anonymized): the key owner is not one of these members. */
const ME = {
  active_seconds_limit: 0,
  auth_accounts: [{ email: 'jane@example.com', image: 'https://example.com/i.png', login: 'jane', name: 'Jane', provider: 'google' }],
  email: 'jane@example.com',
  id: '92cdd2ee-a6d8-4647-868f-124531123b03',
  image: 'https://example.com/i.png',
  login: 'jane',
  name: 'Jane',
  last_name: 'Doe',
  projects_limit: 10,
  branches_limit: 10,
  max_autoscaling_limit: 2,
  plan: 'free_v2',
}

async function neonIds(sim: RunningSimulator): Promise<string[]> {
  const get = async (path: string) =>
    (await fetch(`${sim.baseUrl}/organizations/${sim.context.org_id}${path}`, { headers: { authorization: `Bearer ${sim.credentials.api_key}` } })).json() as Promise<any>
  const members = (await get('/members')).members.map((m: any) => m.member.user_id)
  const invitations = (await get('/invitations')).invitations.map((i: any) => i.id)
  return [...members, ...invitations]
}

describe('neon: recorded answers → unified users', () => {
  const vendor = useReplayAccount(
    'neon',
    '/api/v2',
    {
      [`GET /organizations/${ORG_ID}`]: ORGANIZATION,
      [`GET /organizations/${ORG_ID}/members`]: MEMBERS,
      [`GET /organizations/${ORG_ID}/invitations`]: INVITATIONS,
      'GET /users/me': ME,
    },
    { api_key: 'napi_recorded', org_id: ORG_ID },
  )

  const organization = { id: ORG_ID, name: 'Morning Bread' }
  const member = (i: 0 | 1, role: string, email: string, created_at: string) => ({
    id: MEMBERS.members[i].member.user_id,
    name: null,
    first_name: null,
    last_name: null,
    emails: [{ email, is_primary: true }],
    roles: [{ id: role, name: role }],
    status: 'active',
    organization,
    created_at,
    remote_data: MEMBERS.members[i],
  })
  const first = member(0, 'admin', 'user1@email.com', '2024-02-23T17:42:25.000Z')
  const second = member(1, 'member', 'user2@email.com', '2024-02-21T16:42:25.000Z')
  const invited = {
    id: 'db8faf32-b07f-4b0f-94c8-5c288909f5d3',
    name: null,
    emails: [{ email: 'invited1@email.com', is_primary: true }],
    roles: [{ id: 'admin', name: 'admin' }],
    status: 'invited',
    organization,
    created_at: '2024-02-23T17:42:25.000Z',
    remote_data: INVITATIONS.invitations[0],
  }

  it('maps members, then invitations as invited users, exactly', async () => {
    const { body } = await vendor.g.json(`${USERS_PATH}?${vendor.q}`)
    expect(body).toEqual({ result: [first, second, invited], next_cursor: null, prev_cursor: null, result_count: 3 })
  })

  it('asks for members oldest first', async () => {
    await vendor.g.json(`${USERS_PATH}?${vendor.q}&limit=2`)
    const sent = new URLSearchParams(vendor.replay.requests.filter((r) => r.path.endsWith('/members')).at(-1)!.query)
    expect(Object.fromEntries(sent)).toEqual({ sort_by: 'joined_at', sort_order: 'asc', limit: '2' })
  })

  it('gets a user by user id or by member id', async () => {
    expect((await vendor.g.json(`${USERS_PATH}/6df052ac-ca9a-4321-8963-b6507b2d7dee?${vendor.q}`)).body).toEqual(second)
    expect((await vendor.g.json(`${USERS_PATH}/5fee13ac-957b-40cd-8de0-4d494cc28e28?${vendor.q}`)).body).toEqual(second)
    expect((await vendor.g.json(`${USERS_PATH}/db8faf32-b07f-4b0f-94c8-5c288909f5d3?${vendor.q}`)).body).toEqual(invited)
  })
})

describe('neon: accounts and simulator data', () => {
  const gateway = useGateway()
  let sim: RunningSimulator
  beforeAll(async () => {
    sim = await startVendorSimulator('neon', { users: 12 })
    routeVendor(gateway.g, 'neon', sim.baseUrl)
  })
  afterAll(async () => {
    await sim?.close()
  })

  it('requires org_id, naming the field', async () => {
    const { status, body } = await createAccount(gateway.g, 'neon', { api_key: sim.credentials.api_key })
    expect(status).toBe(400)
    expect(body).toMatchObject({ code: 'missing_credential', details: { field: 'context.org_id' } })
    expect(body.message).toContain('Organization ID')
  })

  it('refuses a malformed org_id before calling Neon', async () => {
    const before = sim.requests.length
    const { status, body } = await createAccount(gateway.g, 'neon', { api_key: sim.credentials.api_key, org_id: 'Not An Org!' })
    expect(status).toBe(400)
    expect(body).toMatchObject({ code: 'invalid_credential', details: { field: 'context.org_id' } })
    expect(sim.requests.length).toBe(before)
  })

  it('refuses an organization the key cannot see, with Neon\'s 404', async () => {
    const { status, body } = await createAccount(gateway.g, 'neon', { api_key: sim.credentials.api_key, org_id: 'org-someone-else-1234' })
    expect(status).toBe(404)
    expect(body).toMatchObject({ truto_is_remote_error: true })
    expect((await gateway.g.json('/integrated-account?integration=neon')).body.result).toEqual([])
  })

  it('keeps org_id in the account context (it is not a secret)', async () => {
    const { status, body } = await createAccount(gateway.g, 'neon', { ...sim.context, ...sim.credentials })
    expect(status).toBe(201)
    expect(body.context).toEqual({ org_id: sim.context.org_id })
    expect(body.credential_fields).toEqual(['api_key'])
  })

  it('names the key owner from /users/me, and finds a member by member id', async () => {
    await withSimulatedAccount(gateway.g, 'neon', { users: 12 }, async (account) => {
      const { records } = await walkAll(gateway.g, `${account.list}&limit=5`)
      const owner = records[0]
      expect(owner).toMatchObject({ status: 'active', roles: [{ id: 'admin', name: 'admin' }] })
      expect(owner.name).toBe(`${owner.first_name} ${owner.last_name}`)
      expect(records.slice(1).every((r) => r.name === null)).toBe(true)
      expect(records.filter((r) => r.status === 'invited')).toHaveLength(3)
      const byMember = await gateway.g.json(account.get(records[4].remote_data.member.id))
      expect(byMember.body).toEqual(records[4])
    })
  })
})

describeConnectorConformance({
  connector: 'neon',
  listPath: '/members',
  pageLimit: 5,
  extraWalks: [
    // Above the 100 members a vendor page holds: gateway pages fill from two vendor pages.
    { users: 250, limit: 150 },
    // The 2025-10 spec's unpaginated list: one answer the gateway slices.
    { users: 23, limit: 5, variant: { pagination: 'none' } },
    { users: 0, limit: 5, variant: { pagination: 'none' } },
  ],
  vendorIds: neonIds,
  rawRecords: (body) => body.members,
  rawId: (record) => record.member.user_id,
  errorStatuses: [400, 401, 403, 404, 429, 500, 503],
  vendorMessage: (raw) => raw.message,
})
