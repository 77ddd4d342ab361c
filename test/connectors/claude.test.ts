/**
 * Claude connector: recorded Admin API answers → exact unified users (organization and Claude
 * Code activity joined), then the conformance suites against the Anthropic simulator.
 */
import { describe, expect, it } from 'vitest'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit/types'
import { describeConnectorConformance } from './support/conformance'
import { idsFromCursorList, useReplayAccount, USERS_PATH } from './support/vendor-accounts'

/** providers.md §1.2, the users list example verbatim (it says has_more: true). */
const USERS = {
  data: [{ id: 'user_01WCz1FkmYMm4gnmykNKUu3Q', added_at: '2024-10-30T23:58:27.427722Z', email: 'user@emaildomain.com', name: 'Jane Doe', role: 'user', type: 'user' }],
  first_id: 'first_id',
  has_more: true,
  last_id: 'last_id',
}
const ORG = { id: '12345678-1234-5678-1234-567812345678', name: 'Organization Name', type: 'organization' }
/** providers.md §1.3, the Claude Code report example, trimmed to the fields the mapping reads plus a few. */
const REPORT = {
  data: [
    {
      actor: { email_address: 'user@emaildomain.com', type: 'user_actor' },
      core_metrics: { commits_by_claude_code: 8, lines_of_code: { added: 342, removed: 128 }, num_sessions: 15, pull_requests_by_claude_code: 2 },
      customer_type: 'api',
      date: '2025-08-08T00:00:00Z',
      organization_id: '12345678-1234-5678-1234-567812345678',
      terminal_type: 'iTerm.app',
      subscription_type: 'enterprise',
    },
  ],
  has_more: true,
  next_page: 'page_MjAyNS0wNS0xNFQwMDowMDowMFo=',
}

const claudeIds = (sim: RunningSimulator) =>
  idsFromCursorList((after) => `${sim.baseUrl}/v1/organizations/users?limit=1000${after ? `&after_id=${after}` : ''}`, {
    'x-api-key': sim.credentials.api_key,
    'anthropic-version': '2023-06-01',
  })

describe('claude: recorded answers → unified users', () => {
  const vendor = useReplayAccount(
    'claude',
    '',
    {
      'GET /v1/organizations/me': ORG,
      'GET /v1/organizations/users': USERS,
      'GET /v1/organizations/users/user_01WCz1FkmYMm4gnmykNKUu3Q': USERS.data[0],
      'GET /v1/organizations/usage_report/claude_code': REPORT,
    },
    { api_key: 'sk-ant-admin01-recorded' },
  )

  const jane = {
    id: 'user_01WCz1FkmYMm4gnmykNKUu3Q',
    name: 'Jane Doe',
    first_name: 'Jane',
    last_name: 'Doe',
    emails: [{ email: 'user@emaildomain.com', is_primary: true }],
    roles: [{ id: 'user', name: 'user' }],
    status: 'active',
    organization: { id: '12345678-1234-5678-1234-567812345678', name: 'Organization Name' },
    // The only report row is hers: a one-row report must still join.
    last_active_at: '2025-08-08T00:00:00.000Z',
    created_at: '2024-10-30T23:58:27.427Z',
    updated_at: null,
    remote_data: USERS.data[0],
  }

  it('maps the documented examples exactly, reading the activity of the day asked for', async () => {
    const { body } = await vendor.g.json(`${USERS_PATH}?${vendor.q}&limit=1&date=2025-08-08`)
    expect(body).toMatchObject({ result: [jane], prev_cursor: null, result_count: 1 })
    // The vendor said has_more: the walk goes on from last_id.
    expect(body.next_cursor).toBeTypeOf('string')
    const report = vendor.replay.requests.filter((r) => r.path === '/v1/organizations/usage_report/claude_code')
    expect(new URLSearchParams(report[0].query).get('starting_at')).toBe('2025-08-08')
  })

  it('gets the same user by id', async () => {
    expect((await vendor.g.json(`${USERS_PATH}/user_01WCz1FkmYMm4gnmykNKUu3Q?${vendor.q}&date=2025-08-08`)).body).toEqual(jane)
  })
})

describeConnectorConformance({
  connector: 'claude',
  listPath: '/v1/organizations/users',
  pageLimit: 7,
  vendorIds: claudeIds,
  rawRecords: (body) => body.data,
  rawId: (record) => record.id,
  errorStatuses: [400, 401, 402, 403, 404, 429, 500, 529],
  vendorMessage: (raw) => raw.error.message,
})
