/**
 * OpenAI Codex connector: recorded OpenAI answers → exact unified users, then the conformance
 * suites (walks, formats, errors, verification) against the OpenAI simulator.
 */
import { describe, expect, it } from 'vitest'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit/types'
import { walkAll } from '../support/gateway'
import { describeConnectorConformance } from './support/conformance'
import { idsFromCursorList, useGateway, useReplayAccount, USERS_PATH, withSimulatedAccount } from './support/vendor-accounts'

/** providers.md §2.2, the spec's list example verbatim. */
const LIST_EXAMPLE = {
  object: 'list',
  data: [{ object: 'organization.user', id: 'user_abc', name: 'First Last', email: 'user@example.com', role: 'owner', added_at: 1711471533 }],
  first_id: 'user-abc',
  last_id: 'user-xyz',
  has_more: false,
}

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
  user: { object: 'user', id: 'user-Q2m9', email: 'grace@example.com', name: 'Grace Brewster Hopper', picture: 'https://example.com/g.png', enabled: false, banned: false, banned_at: null },
}

const openaiIds = (sim: RunningSimulator) =>
  idsFromCursorList((after) => `${sim.baseUrl}/organization/users?limit=100${after ? `&after=${after}` : ''}`, { authorization: `Bearer ${sim.credentials.api_key}` })

describe('openai-codex: recorded answers → unified users', () => {
  const vendor = useReplayAccount(
    'openai-codex',
    '/v1',
    {
      'GET /organization/users': LIST_EXAMPLE,
      'GET /organization/users/user_abc': LIST_EXAMPLE.data[0],
      'GET /organization/users/user-Q2m9': DISABLED_USER,
    },
    { api_key: 'sk-admin-recorded' },
  )

  it('maps the spec example exactly (added_at unix seconds → ISO, name split, role)', async () => {
    const { body } = await vendor.g.json(`${USERS_PATH}?${vendor.q}`)
    expect(body).toEqual({
      result: [
        {
          id: 'user_abc',
          name: 'First Last',
          first_name: 'First',
          last_name: 'Last',
          emails: [{ email: 'user@example.com', is_primary: true }],
          roles: [{ id: 'owner', name: 'owner' }],
          status: 'active',
          created_at: '2024-03-26T16:45:33.000Z',
          updated_at: null,
          remote_data: LIST_EXAMPLE.data[0],
        },
      ],
      next_cursor: null,
      prev_cursor: null,
      result_count: 1,
    })
    expect((await vendor.g.json(`${USERS_PATH}/user_abc?${vendor.q}`)).body).toEqual(body.result[0])
  })

  it('reads status from the nested user and last_active_at from the last key use', async () => {
    const { body } = await vendor.g.json(`${USERS_PATH}/user-Q2m9?${vendor.q}&truto_ignore_remote_data=true`)
    expect(body).toEqual({
      id: 'user-Q2m9',
      name: 'Grace Brewster Hopper',
      first_name: 'Grace',
      last_name: 'Brewster Hopper',
      emails: [{ email: 'grace@example.com', is_primary: true }],
      roles: [{ id: 'reader', name: 'reader' }],
      status: 'inactive',
      last_active_at: '2024-03-09T16:00:00.000Z',
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
      for (const r of records) {
        const inner = r.remote_data.user
        expect(r.status).toBe(inner.enabled === false || inner.banned ? 'inactive' : 'active')
      }
      expect(records.filter((r) => r.status === 'inactive').length).toBeGreaterThan(0)
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
