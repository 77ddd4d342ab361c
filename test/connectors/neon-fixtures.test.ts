/**
 * Neon on its own documented examples (test/fixtures/neon) fed through connector and mapping by a
 * replay of the vendor, asserted field by field; the walk correct whether or not the last members
 * page carries `pagination.next`; and the fixtures and simulator bodies valid against the wire
 * schemas.
 */
import { unifiedUser } from '../support/unified-user'
import { describe, expect, it } from 'vitest'
import { currentUser, organization, organizationInvitations, organizationMembers } from '../../connectors/neon/wire-schemas'
import ORGANIZATION from '../fixtures/neon/organization'
import INVITATIONS from '../fixtures/neon/organizations-invitations'
import MEMBERS_DOCS from '../fixtures/neon/organizations-members'
import MEMBERS, { ORG_ID } from '../fixtures/neon/organizations-members.spec-2025-10'
import ME from '../fixtures/neon/users-me'
import ME_OWNER from '../fixtures/neon/users-me.owner'
import { walkAll } from '../support/gateway'
import { useGateway, useReplayAccount, USERS_PATH, withSimulatedAccount } from './support/vendor-accounts'
import { bearerJson, expectWire, onEachVariant } from './support/wire'

const recording = (members: unknown, me: unknown) => ({
  [`GET /organizations/${ORG_ID}`]: ORGANIZATION,
  [`GET /organizations/${ORG_ID}/members`]: members,
  [`GET /organizations/${ORG_ID}/invitations`]: INVITATIONS,
  'GET /users/me': me,
})
const organizationOut = { id: ORG_ID, name: 'Morning Bread' }
const member = (i: 0 | 1, name: string, role: string, email: string, created_at: string) =>
  unifiedUser({
    id: MEMBERS.members[i].member.user_id,
    name,
    first_name: null,
    last_name: null,
    emails: [{ email, is_primary: true }],
    roles: [{ id: role, name: role }],
    status: 'active',
    organization: organizationOut,
    created_at,
    remote_data: MEMBERS.members[i],
  })
const first = member(0, 'user1', 'admin', 'user1@email.com', '2024-02-23T17:42:25.000Z')
const second = member(1, 'user2', 'member', 'user2@email.com', '2024-02-21T16:42:25.000Z')
const invited = unifiedUser({
  id: 'db8faf32-b07f-4b0f-94c8-5c288909f5d3',
  // Invitations carry no name either: the email's local part.
  name: 'invited1',
  emails: [{ email: 'invited1@email.com', is_primary: true }],
  roles: [{ id: 'admin', name: 'admin' }],
  status: 'invited',
  organization: organizationOut,
  created_at: '2024-02-23T17:42:25.000Z',
  remote_data: INVITATIONS.invitations[0],
})

describe('neon fixtures: the spec examples, the key owner not a member', () => {
  const vendor = useReplayAccount('neon', '/api/v2', recording(MEMBERS, ME), { api_key: 'napi_recorded', org_id: ORG_ID })

  it('maps members (named by their email local part), then invitations as invited users', async () => {
    const { body } = await vendor.g.json(`${USERS_PATH}?${vendor.q}`)
    expect(body).toEqual({ result: [first, second, invited], next_cursor: null, prev_cursor: null, result_count: 3 })
  })

  it('asks for members oldest first', async () => {
    await vendor.g.json(`${USERS_PATH}?${vendor.q}&limit=2`)
    const sent = new URLSearchParams(vendor.replay.requests.filter((r) => r.path.endsWith('/members')).at(-1)!.query)
    expect(Object.fromEntries(sent)).toEqual({ sort_by: 'joined_at', sort_order: 'asc', limit: '2' })
  })

  it('gets a user by user id, by member id, and an invitation by its id', async () => {
    expect((await vendor.g.json(`${USERS_PATH}/6df052ac-ca9a-4321-8963-b6507b2d7dee?${vendor.q}`)).body).toEqual(second)
    expect((await vendor.g.json(`${USERS_PATH}/5fee13ac-957b-40cd-8de0-4d494cc28e28?${vendor.q}`)).body).toEqual(second)
    expect((await vendor.g.json(`${USERS_PATH}/db8faf32-b07f-4b0f-94c8-5c288909f5d3?${vendor.q}`)).body).toEqual(invited)
  })
})

describe('neon fixtures: the key owner is a member', () => {
  const vendor = useReplayAccount('neon', '/api/v2', recording(MEMBERS, ME_OWNER), { api_key: 'napi_recorded', org_id: ORG_ID })

  it('names the owner from /users/me (first and last), the others by email', async () => {
    const { body } = await vendor.g.json(`${USERS_PATH}?${vendor.q}`)
    expect(body.result).toEqual([{ ...first, name: 'Ada Lovelace', first_name: 'Ada', last_name: 'Lovelace' }, second, invited])
  })
})

describe('neon fixtures: the current docs page (has_mfa)', () => {
  const vendor = useReplayAccount('neon', '/api/v2', recording(MEMBERS_DOCS, ME), { api_key: 'napi_recorded', org_id: ORG_ID })

  it('maps its member', async () => {
    const { body } = await vendor.g.json(`${USERS_PATH}?${vendor.q}`)
    expect(body.result[0]).toEqual(
      unifiedUser({
        id: '00000000-0000-0000-0000-000000000000',
        name: 'alex',
        first_name: null,
        last_name: null,
        emails: [{ email: 'alex@example.com', is_primary: true }],
        roles: [{ id: 'member', name: 'member' }],
        status: 'active',
        organization: organizationOut,
        created_at: '2025-01-15T10:30:00.000Z',
        remote_data: MEMBERS_DOCS.members[0],
      }),
    )
    expect(body.result.slice(1)).toEqual([invited])
  })
})

describe('neon: the members walk, whether or not the last page carries pagination.next', () => {
  const gateway = useGateway()

  for (const lastPageNext of ['omit', 'keep']) {
    it(`lastPageNext '${lastPageNext}': every member and invitation once, no request for an empty page`, async () => {
      await withSimulatedAccount(gateway.g, 'neon', { users: 12, variant: { lastPageNext } }, async (account) => {
        const before = account.sim.counts.get('GET /api/v2/organizations/:org_id/members') ?? 0
        const { records } = await walkAll(gateway.g, `${account.list}&limit=5`)
        expect(records.filter((r) => r.status === 'active')).toHaveLength(12)
        expect(records.filter((r) => r.status === 'invited')).toHaveLength(3)
        expect(new Set(records.map((r) => r.id)).size).toBe(15)
        // 12 members at 5 a page: three member pages, the last short.
        const memberCalls = account.sim.requests.filter((r) => r.path.endsWith('/members')).length
        expect(memberCalls - before).toBe(3)
      })
    })
  }

  it("lastPageNext 'keep' with a full last page: one empty page ends the walk, invitations kept", async () => {
    await withSimulatedAccount(gateway.g, 'neon', { users: 10, variant: { lastPageNext: 'keep' } }, async (account) => {
      const first = await gateway.g.json(`${account.list}&limit=5`)
      const second = await gateway.g.json(`${account.list}&limit=5&next_cursor=${encodeURIComponent(first.body.next_cursor)}`)
      // The second page is full and still hands out a cursor: the walk goes on once more.
      expect(second.body.result.filter((r: any) => r.status === 'active')).toHaveLength(5)
      const third = await gateway.g.json(`${account.list}&limit=5&next_cursor=${encodeURIComponent(second.body.next_cursor)}`)
      expect(third.body.result.map((r: any) => r.status)).toEqual(['invited', 'invited', 'invited'])
      expect(third.body.next_cursor).toBeNull()
      expect(third.body).not.toHaveProperty('is_partial_response')
    })
  })
})

describe('neon wire schemas', () => {
  it('accept every documented example', () => {
    expectWire(organizationMembers, MEMBERS, 'members (spec 2025-10)')
    expectWire(organizationMembers, MEMBERS_DOCS, 'members (docs)')
    expectWire(organizationInvitations, INVITATIONS, 'invitations')
    expectWire(organization, ORGANIZATION, 'organization')
    expectWire(currentUser, ME, 'users/me')
  })

  it('accept the simulator in every variant', async () => {
    await onEachVariant('neon', 7, [{}, { pagination: 'none' }, { lastPageNext: 'keep' }], async (sim, what) => {
      const org = `/organizations/${sim.context.org_id}`
      expectWire(organizationMembers, await bearerJson(sim, `${org}/members`), what)
      const page = await bearerJson(sim, `${org}/members?limit=5`)
      expectWire(organizationMembers, page, what)
      if (page.pagination?.next)
        expectWire(
          organizationMembers,
          await bearerJson(sim, `${org}/members?limit=5&cursor=${encodeURIComponent(page.pagination.next)}`),
          what,
        )
      expectWire(organizationInvitations, await bearerJson(sim, `${org}/invitations`), what)
      expectWire(organization, await bearerJson(sim, org), what)
      expectWire(currentUser, await bearerJson(sim, '/users/me'), what)
    })
  })
})
