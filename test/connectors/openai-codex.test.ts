/**
 * OpenAI Codex connector: recorded OpenAI answers → exact unified users, then the conformance
 * suites (walks, formats, errors, verification) against the OpenAI simulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit/types'
import { startTestGateway, walkAll, type TestGateway } from '../support/gateway'
import { describeConnectorConformance } from './support/conformance'
import { createAccount, routeVendor, simulatedAccount, startReplay, USERS_PATH, type Replay } from './support/vendor-accounts'

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

async function openaiIds(sim: RunningSimulator): Promise<string[]> {
  const ids: string[] = []
  let after: string | null = null
  do {
    const res = await fetch(`${sim.baseUrl}/organization/users?limit=100${after ? `&after=${after}` : ''}`, { headers: { authorization: `Bearer ${sim.credentials.api_key}` } })
    const page = (await res.json()) as { data: Array<{ id: string }>; last_id: string | null; has_more: boolean }
    ids.push(...page.data.map((u) => u.id))
    after = page.has_more ? page.last_id : null
  } while (after)
  return ids
}

describe('openai-codex: recorded answers → unified users', () => {
  let g: TestGateway
  let replay: Replay
  let q: string

  beforeAll(async () => {
    g = await startTestGateway({ sandbox: false })
    replay = await startReplay('/v1', {
      'GET /organization/users': LIST_EXAMPLE,
      'GET /organization/users/user_abc': LIST_EXAMPLE.data[0],
      'GET /organization/users/user-Q2m9': DISABLED_USER,
    })
    routeVendor(g, 'openai-codex', replay.baseUrl)
    const created = await createAccount(g, 'openai-codex', { api_key: 'sk-admin-recorded' })
    q = `integrated_account_id=${created.body.id}`
  })
  afterAll(async () => {
    await g?.close()
    await replay?.close()
  })

  it('maps the spec example exactly (added_at unix seconds → ISO, name split, role)', async () => {
    const { body } = await g.json(`${USERS_PATH}?${q}`)
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
    expect((await g.json(`${USERS_PATH}/user_abc?${q}`)).body).toEqual(body.result[0])
  })

  it('reads status from the nested user and last_active_at from the last key use', async () => {
    const { body } = await g.json(`${USERS_PATH}/user-Q2m9?${q}&truto_ignore_remote_data=true`)
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
  let g: TestGateway
  beforeAll(async () => {
    g = await startTestGateway({ sandbox: false })
  })
  afterAll(async () => {
    await g?.close()
  })

  it('marks disabled and banned members inactive, every other member active', async () => {
    const account = await simulatedAccount(g, 'openai-codex', { users: 30, variant: { fields: 'full' } })
    try {
      const { records } = await walkAll(g, `${account.list}&limit=100`)
      for (const r of records) {
        const inner = r.remote_data.user
        expect(r.status).toBe(inner.enabled === false || inner.banned ? 'inactive' : 'active')
      }
      expect(records.filter((r) => r.status === 'inactive').length).toBeGreaterThan(0)
    } finally {
      await account.sim.close()
    }
  })

  it('asks OpenAI for at most 100 users a page, following last_id with after', async () => {
    const account = await simulatedAccount(g, 'openai-codex', { users: 230 })
    try {
      await walkAll(g, `${account.list}&limit=1000`)
      const pages = account.sim.requests.filter((r) => r.path === '/v1/organization/users').map((r) => new URLSearchParams(r.query))
      // The first request is the verification (limit=1); the walk follows.
      const walk = pages.slice(1)
      expect(walk.map((p) => p.get('limit'))).toEqual(['100', '100', '100'])
      expect(walk[0].get('after')).toBeNull()
      expect(walk[1].get('after')).toMatch(/^user-/)
    } finally {
      await account.sim.close()
    }
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
