/**
 * OpenAI Codex connector: a user in the full current shape, simulator data, then the conformance
 * suites (walks, formats, errors, verification) against the OpenAI simulator. The vendor's
 * documented examples are in openai-codex-doc-examples.test.ts.
 */
import { describe, expect, it } from 'vitest'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit/types'
import { walkAll } from '../support/gateway'
import { describeConnectorConformance } from './support/conformance'
import { idsFromCursorList, useGateway, useReplayAccount, USERS_PATH, withSimulatedAccount } from './support/vendor-accounts'

/** A user in the current schema's full shape (nested `user`, last key use): disabled, so inactive. */
const DISABLED_USER = {
  object: 'organization.user',
  id: 'user-Q2m9',
  name: 'Grace Brewster Hopper',
  email: 'grace@example.com',
  role: 'reader',
  added_at: 1700000000,
  created: 1690000000,
  api_key_last_used_at: 1710000000,
  is_service_account: false,
  user: {
    object: 'user',
    id: 'user-Q2m9',
    email: 'grace@example.com',
    name: 'Grace Brewster Hopper',
    picture: 'https://example.com/g.png',
    enabled: false,
    banned: false,
    banned_at: null,
  },
}

const openaiList = (sim: RunningSimulator, path: string, keep?: (r: Record<string, unknown>) => boolean) =>
  idsFromCursorList(
    (after) => `${sim.baseUrl}${path}?limit=100${after ? `&after=${after}` : ''}`,
    { authorization: `Bearer ${sim.credentials.api_key}` },
    keep,
  )

/** Every member, then every pending invite (the ones the connector lists as `invited`). */
const openaiIds = async (sim: RunningSimulator) => [
  ...(await openaiList(sim, '/organization/users')),
  ...(await openaiList(sim, '/organization/invites', (invite) => invite.status === 'pending')),
]

describe('openai-codex: a user in the full current shape', () => {
  const vendor = useReplayAccount(
    'openai-codex',
    '/v1',
    {
      // Account verification lists the users.
      'GET /organization/users': { object: 'list', data: [DISABLED_USER], first_id: 'user-Q2m9', last_id: 'user-Q2m9', has_more: false },
      'GET /organization/users/user-Q2m9': DISABLED_USER,
    },
    { api_key: 'sk-admin-recorded' },
  )

  // last_active_at was api_key_last_used_at before: platform key use is not Codex activity, so it is null now.
  it('reads status from the nested user, and leaves last_active_at null despite a recent key use', async () => {
    const { body } = await vendor.g.json(`${USERS_PATH}/user-Q2m9?${vendor.q}&truto_ignore_remote_data=true`)
    expect(body).toEqual({
      id: 'user-Q2m9',
      name: 'Grace Brewster Hopper',
      first_name: 'Grace',
      last_name: 'Brewster Hopper',
      emails: [{ email: 'grace@example.com', is_primary: true }],
      roles: [{ id: 'reader', name: 'reader' }],
      status: 'inactive',
      organization: null,
      spend_limit: null,
      last_active_at: null,
      created_at: '2023-11-14T22:13:20.000Z',
      updated_at: null,
    })
  })
})

describe('openai-codex: simulator data', () => {
  const gateway = useGateway()

  it('marks disabled and banned members inactive, every other member active', async () => {
    await withSimulatedAccount(gateway.g, 'openai-codex', { users: 30, variant: { fields: 'full' } }, async (account) => {
      const { records } = await walkAll(gateway.g, `${account.list}&limit=100`)
      const members = records.filter((r) => r.status !== 'invited')
      expect(records.length - members.length).toBe(3) // the simulator's pending invites
      for (const r of members) {
        const inner = r.remote_data.user
        expect(r.status).toBe(inner.enabled === false || inner.banned ? 'inactive' : 'active')
      }
      expect(members.filter((r) => r.status === 'inactive').length).toBeGreaterThan(0)
    })
  })

  it('asks OpenAI for at most 100 users a page, following last_id with after', async () => {
    await withSimulatedAccount(gateway.g, 'openai-codex', { users: 230 }, async (account) => {
      await walkAll(gateway.g, `${account.list}&limit=1000`)
      const pages = account.sim.requests.filter((r) => r.path === '/v1/organization/users').map((r) => new URLSearchParams(r.query))
      // The first request is the verification (limit=1); the walk follows.
      const walk = pages.slice(1)
      expect(walk.map((p) => p.get('limit'))).toEqual(['100', '100', '100'])
      expect(walk[0].get('after')).toBeNull()
      expect(walk[1].get('after')).toMatch(/^user-/)
    })
  })
})

describeConnectorConformance({
  connector: 'openai-codex',
  listPath: '/v1/organization/users',
  pageLimit: 5,
  // Above OpenAI's 100 a page: each gateway page fills from two vendor pages and ends mid-page.
  extraWalks: [{ users: 301, limit: 150 }],
  vendorIds: openaiIds,
  rawRecords: (body) => body.data,
  rawId: (record) => record.id,
  errorStatuses: [400, 401, 403, 404, 409, 429, 500, 503],
  vendorMessage: (raw) => raw.error.message,
})
