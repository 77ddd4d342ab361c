/**
 * Cursor on its own documented examples (test/fixtures/cursor): each documented shape fed through
 * connector and mapping by a replay of the vendor, the unified users asserted field by field; and
 * the fixtures and the simulator's bodies, in every variant, valid against the wire schemas.
 */
import { unifiedUser } from '../support/unified-user'
import { describe, expect, it } from 'vitest'
import { dailyUsage, teamMembers, teamSpend } from '../../connectors/cursor/wire-schemas'
import DAILY_USAGE from '../fixtures/cursor/teams-daily-usage-data'
import DAILY_USAGE_NO_ID from '../fixtures/cursor/teams-daily-usage-data.no-user-id'
import MEMBERS from '../fixtures/cursor/teams-members'
import MEMBERS_ARRAY from '../fixtures/cursor/teams-members.array'
import MEMBERS_BASIC from '../fixtures/cursor/teams-members.basic'
import SPEND from '../fixtures/cursor/teams-spend'
import SPEND_STRING_IDS from '../fixtures/cursor/teams-spend.string-ids'
import { useReplayAccount, USERS_PATH } from './support/vendor-accounts'
import { expectWire, onEachVariant } from './support/wire'

const recording = (members: unknown, spend: unknown, usage: unknown) => ({
  'GET /teams/members': members,
  'POST /teams/spend': spend,
  'POST /teams/daily-usage-data': usage,
})

const alexBase = unifiedUser({
  name: 'Alex',
  first_name: 'Alex',
  last_name: null,
  emails: [{ email: 'developer@company.com', is_primary: true }],
  roles: [{ id: 'member', name: 'member' }],
  status: 'active',
  last_active_at: '2024-03-18T00:00:00.000Z',
  created_at: null,
  updated_at: null,
})
const samBase = unifiedUser({
  name: 'Sam',
  first_name: 'Sam',
  last_name: null,
  emails: [{ email: 'admin@company.com', is_primary: true }],
  roles: [{ id: 'owner', name: 'owner' }],
  status: 'active',
  // Sam has no active day in the report: last_active_at is left out (null).
  // No effective limit, no monthly limit (null) and no override (0): no limit at all.
  spend_limit: null,
  created_at: null,
  updated_at: null,
})

describe('cursor fixtures: the current docs (numeric ids, isRemoved)', () => {
  const vendor = useReplayAccount('cursor', '', recording(MEMBERS, SPEND, DAILY_USAGE), { api_key: 'key_recorded' })

  it('maps members, spend and usage field by field', async () => {
    const { body } = await vendor.g.json(`${USERS_PATH}?${vendor.q}`)
    expect(body.result).toEqual([
      // No effective limit in the docs' row: the monthly limit ($200) applies, not the $100 override.
      { ...alexBase, id: '12345', spend_limit: { amount: 20000, currency: 'USD' }, remote_data: MEMBERS.teamMembers[0] },
      { ...samBase, id: '12346', remote_data: MEMBERS.teamMembers[1] },
    ])
  })
})

describe('cursor fixtures: no member ids, string spend ids, usage rows without userId', () => {
  const vendor = useReplayAccount('cursor', '', recording(MEMBERS_BASIC, SPEND_STRING_IDS, DAILY_USAGE_NO_ID), { api_key: 'crsr_recorded' })

  it('joins on the email, case-insensitively, and ids members by their email', async () => {
    const { body } = await vendor.g.json(`${USERS_PATH}?${vendor.q}`)
    expect(body.result).toEqual([
      // The effective limit ($30) decides, whatever the $200 override says.
      {
        ...alexBase,
        id: 'developer@company.com',
        spend_limit: { amount: 3000, currency: 'USD' },
        remote_data: MEMBERS_BASIC.teamMembers[0],
      },
      { ...samBase, id: 'admin@company.com', remote_data: MEMBERS_BASIC.teamMembers[1] },
    ])
  })

  it('gets a member by the email that stands in for its id', async () => {
    const { status, body } = await vendor.g.json(`${USERS_PATH}/${encodeURIComponent('developer@company.com')}?${vendor.q}`)
    expect(status).toBe(200)
    expect(body.spend_limit).toEqual({ amount: 3000, currency: 'USD' })
  })
})

describe('cursor fixtures: the older page (a bare array)', () => {
  const vendor = useReplayAccount('cursor', '', recording(MEMBERS_ARRAY, SPEND, DAILY_USAGE), { api_key: 'key_recorded' })

  it('reads the array and joins spend and usage on the email', async () => {
    const { body } = await vendor.g.json(`${USERS_PATH}?${vendor.q}`)
    expect(body.result).toEqual([
      { ...alexBase, id: 'developer@company.com', spend_limit: { amount: 20000, currency: 'USD' }, remote_data: MEMBERS_ARRAY[0] },
      { ...samBase, id: 'admin@company.com', remote_data: MEMBERS_ARRAY[1] },
    ])
  })
})

describe('cursor wire schemas', () => {
  it('accept every documented example', () => {
    for (const [name, body] of Object.entries({ MEMBERS, MEMBERS_BASIC, MEMBERS_ARRAY })) expectWire(teamMembers, body, name)
    for (const [name, body] of Object.entries({ SPEND, SPEND_STRING_IDS })) expectWire(teamSpend, body, name)
    for (const [name, body] of Object.entries({ DAILY_USAGE, DAILY_USAGE_NO_ID })) expectWire(dailyUsage, body, name)
  })

  it('accept the simulator in every variant', async () => {
    await onEachVariant('cursor', 30, [{}, { members: 'basic', ids: 'string' }, { members: 'array' }], async (sim, what) => {
      const headers = {
        authorization: `Basic ${Buffer.from(`${sim.credentials.api_key}:`).toString('base64')}`,
        'content-type': 'application/json',
      }
      const call = async (method: string, path: string, body?: unknown) =>
        (await fetch(`${sim.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })).json()
      expectWire(teamMembers, await call('GET', '/teams/members'), what)
      expectWire(teamSpend, await call('POST', '/teams/spend', { page: 1, pageSize: 10 }), what)
      const end = Date.now()
      expectWire(dailyUsage, await call('POST', '/teams/daily-usage-data', { startDate: end - 7 * 86_400_000, endDate: end }), what)
      expectWire(
        dailyUsage,
        await call('POST', '/teams/daily-usage-data', { startDate: end - 7 * 86_400_000, endDate: end, page: 1, pageSize: 5 }),
        what,
      )
    })
  })

  it('reject a body that moved a field', () => {
    expect(teamSpend.safeParse({ ...SPEND, teamMemberSpend: [{ ...SPEND.teamMemberSpend[0], email: undefined }] }).success).toBe(false)
    expect(teamMembers.safeParse({ members: MEMBERS.teamMembers }).success).toBe(false)
  })
})
