/**
 * Claude on Anthropic's own documented examples (test/fixtures/claude): each endpoint the
 * connector calls answers its reference example verbatim, through the connector and mappings,
 * and the unified users are asserted field by field. The examples also satisfy the wire schemas
 * the simulator is held to (test/simulators/wire-schemas.test.ts).
 */
import { unifiedUser } from '../support/unified-user'
import { describe, expect, it } from 'vitest'
import {
  claudeAnalyticsUsers,
  claudeCodeReport,
  claudeInvite,
  claudeInviteList,
  claudeOrganization,
  claudeUser,
  claudeUserList,
  costReport,
  messagesUsageReport,
} from '../../connectors/claude/wire-schemas'
import analyticsUsers from '../fixtures/claude/analytics-users'
import costReportExample from '../fixtures/claude/cost-report'
import invitesGet from '../fixtures/claude/invites-get'
import invitesList from '../fixtures/claude/invites-list'
import organizationsMe from '../fixtures/claude/organizations-me'
import report from '../fixtures/claude/usage-report-claude-code'
import messagesReport from '../fixtures/claude/usage-report-messages'
import usersGet from '../fixtures/claude/users-get'
import usersList from '../fixtures/claude/users-list'
import { walkAll } from '../support/gateway'
import { useReplayAccount, USERS_PATH } from './support/vendor-accounts'
import { describeDocExamples } from './support/wire-examples'

/**
 * The examples say `has_more: true` with `last_id: "last_id"`: the page after it is this empty
 * one (not a documented example; it only ends the walk), served for `after_id=last_id`.
 */
const END_OF_LIST = { data: [], first_id: null, has_more: false, last_id: null }
const END_OF_REPORT = { data: [], has_more: false, next_page: null }

const ORGANIZATION = { id: '12345678-1234-5678-1234-567812345678', name: 'Organization Name' }

const jane = unifiedUser({
  id: 'user_01WCz1FkmYMm4gnmykNKUu3Q',
  name: 'Jane Doe',
  first_name: 'Jane',
  last_name: 'Doe',
  emails: [{ email: 'user@emaildomain.com', is_primary: true }],
  roles: [{ id: 'user', name: 'user' }],
  status: 'active',
  organization: ORGANIZATION,
  // The report's only row is hers, on the day asked for.
  last_active_at: '2025-08-08T00:00:00.000Z',
  created_at: '2024-10-30T23:58:27.427Z',
  updated_at: null,
  remote_data: usersList.data[0],
})

const invited = unifiedUser({
  id: 'invite_015gWxCN9Hfg2QhZwTK7Mdeu',
  name: null,
  first_name: null,
  last_name: null,
  emails: [{ email: 'user@emaildomain.com', is_primary: true }],
  roles: [{ id: 'user', name: 'user' }],
  status: 'invited',
  organization: ORGANIZATION,
  last_active_at: null,
  created_at: '2024-10-30T23:58:27.427Z',
  updated_at: null,
  remote_data: invitesList.data[0],
})

describeDocExamples('claude', [
  ['users-list', claudeUserList, usersList],
  ['users-get', claudeUser, usersGet],
  ['invites-list', claudeInviteList, invitesList],
  ['invites-get', claudeInvite, invitesGet],
  ['organizations-me', claudeOrganization, organizationsMe],
  ['usage-report-claude-code', claudeCodeReport, report],
  ['usage-report-messages', messagesUsageReport, messagesReport],
  ['cost-report', costReport, costReportExample],
  ['analytics-users', claudeAnalyticsUsers, analyticsUsers],
])

/** Every Admin API endpoint answering its reference example (and the pages that end the walks). */
const ADMIN_API_EXAMPLES = {
  'GET /v1/organizations/me': organizationsMe,
  'GET /v1/organizations/users': usersList,
  'GET /v1/organizations/users?after_id=last_id': END_OF_LIST,
  'GET /v1/organizations/users/user_01WCz1FkmYMm4gnmykNKUu3Q': usersGet,
  'GET /v1/organizations/invites': invitesList,
  'GET /v1/organizations/invites?after_id=last_id': END_OF_LIST,
  'GET /v1/organizations/invites/invite_015gWxCN9Hfg2QhZwTK7Mdeu': invitesGet,
  'GET /v1/organizations/usage_report/claude_code': report,
  [`GET /v1/organizations/usage_report/claude_code?page=${report.next_page}`]: END_OF_REPORT,
}

describe('claude: documented examples → unified users', () => {
  const vendor = useReplayAccount('claude', '', ADMIN_API_EXAMPLES, { api_key: 'sk-ant-admin01-recorded' })
  const sent = (path: string) => vendor.replay.requests.filter((r) => r.path === path).map((r) => new URLSearchParams(r.query))

  it('lists the member, then the pending invite, following has_more on both lists', async () => {
    const { body } = await vendor.g.json(`${USERS_PATH}?${vendor.q}&limit=10&date=2025-08-08`)
    expect(body).toEqual({ result: [jane, invited], next_cursor: null, prev_cursor: null, result_count: 2 })
    // Each list went on from its last_id until has_more was false.
    expect(sent('/v1/organizations/users').map((q) => q.get('after_id'))).toEqual([null, 'last_id'])
    expect(sent('/v1/organizations/invites').map((q) => q.get('after_id'))).toEqual([null, 'last_id'])
    // The Claude Code report of the day asked for, both of its pages.
    expect(sent('/v1/organizations/usage_report/claude_code').map((q) => [q.get('starting_at'), q.get('page')])).toEqual([
      ['2025-08-08', null],
      ['2025-08-08', report.next_page],
    ])
  })

  it('walks the same records one at a time, across the boundary between the two lists', async () => {
    const { records, pages } = await walkAll(vendor.g, `${USERS_PATH}?${vendor.q}&limit=1&date=2025-08-08`)
    expect(records).toEqual([jane, invited])
    expect(pages).toBeGreaterThanOrEqual(2)
  })

  it('gets the member by user id and the invite by invite id (each from its own endpoint)', async () => {
    expect((await vendor.g.json(`${USERS_PATH}/user_01WCz1FkmYMm4gnmykNKUu3Q?${vendor.q}&date=2025-08-08`)).body).toEqual(jane)
    expect((await vendor.g.json(`${USERS_PATH}/invite_015gWxCN9Hfg2QhZwTK7Mdeu?${vendor.q}`)).body).toEqual({
      ...invited,
      remote_data: invitesGet,
    })
    expect(sent('/v1/organizations/invites/invite_015gWxCN9Hfg2QhZwTK7Mdeu')).toHaveLength(1)
  })

  it('streams both lists as one', async () => {
    const res = await vendor.g.api(`${USERS_PATH}?${vendor.q}&limit=1&date=2025-08-08&truto_response_format=stream`)
    expect(
      (await res.text())
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([jane, invited])
  })
})

describe('claude with an Enterprise Analytics key: the documented analytics example → unified users', () => {
  const vendor = useReplayAccount(
    'claude',
    '',
    {
      ...ADMIN_API_EXAMPLES,
      'GET /v1/organizations/analytics/users': analyticsUsers,
      // The example's `next_page: "next_page"` is followed; this empty page (not a documented example) ends the walk.
      'GET /v1/organizations/analytics/users?page=next_page': { data: [], next_page: null },
    },
    { api_key: 'sk-ant-admin01-recorded', analytics_api_key: 'sk-ant-api01-analytics-recorded' },
  )
  const sent = (path: string) => vendor.replay.requests.filter((r) => r.path === path).map((r) => new URLSearchParams(r.query))

  it('reads activity from the analytics users of the day asked, not the Claude Code report', async () => {
    // Account creation checked the analytics key on one row of the latest finalized day.
    const [check] = sent('/v1/organizations/analytics/users')
    expect(check.get('limit')).toBe('1')
    expect(check.get('date')).toBe(new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10))

    const { body } = await vendor.g.json(`${USERS_PATH}?${vendor.q}&limit=10&date=2025-08-08`)
    // The example's only row is all zeros (and a placeholder email): nobody was active that day.
    expect(body.result).toEqual([{ ...jane, last_active_at: null }, invited])
    expect(
      sent('/v1/organizations/analytics/users')
        .slice(1)
        .map((q) => [q.get('date'), q.get('page'), q.get('limit')]),
    ).toEqual([
      ['2025-08-08', null, '1000'],
      ['2025-08-08', 'next_page', '1000'],
    ])
    expect(sent('/v1/organizations/usage_report/claude_code')).toEqual([])
  })
})

/**
 * The reference types every distinct count as nullable ("null on aggregated rows where a distinct
 * count cannot be computed"). A null count is no activity: it neither marks a user active nor
 * fails the page, and an aggregated row (no `user`) is skipped whatever its counts.
 */
describe('claude with an Enterprise Analytics key: rows whose distinct counts are null', () => {
  const example = analyticsUsers.data[0]
  /** The documented row with its distinct counts null and `messages` chat messages, without `user` (aggregated). */
  const { user: _placeholder, ...aggregated } = {
    ...example,
    chat_metrics: { ...example.chat_metrics, distinct_conversation_count: null, connectors_used_count: null },
    claude_code_metrics: {
      ...example.claude_code_metrics,
      core_metrics: { ...example.claude_code_metrics.core_metrics, distinct_session_count: null },
    },
    cowork_metrics: { ...example.cowork_metrics, distinct_session_count: null },
    office_metrics: { ...example.office_metrics, excel: { ...example.office_metrics.excel, distinct_session_count: null } },
  }
  const withMessages = (messages: number) => ({ ...aggregated, chat_metrics: { ...aggregated.chat_metrics, message_count: messages } })
  /** The same row for Jane (her email in other case, as emails compare case-insensitively). */
  const janeRow = (messages: number) => ({
    ...withMessages(messages),
    user: { id: 'user_01WCz1FkmYMm4gnmykNKUu3Q', email_address: 'USER@emaildomain.com' },
  })
  const vendor = useReplayAccount(
    'claude',
    '',
    {
      ...ADMIN_API_EXAMPLES,
      'GET /v1/organizations/analytics/users': { data: [janeRow(0)], next_page: null },
      'GET /v1/organizations/analytics/users?date=2025-08-08': { data: [janeRow(0), withMessages(7)], next_page: null },
      'GET /v1/organizations/analytics/users?date=2025-08-09': { data: [janeRow(3)], next_page: null },
    },
    { api_key: 'sk-ant-admin01-recorded', analytics_api_key: 'sk-ant-api01-analytics-recorded' },
  )

  it('reads a user with null counts and no messages as inactive, and skips an aggregated row', async () => {
    const { status, body } = await vendor.g.json(`${USERS_PATH}?${vendor.q}&limit=10&date=2025-08-08`)
    expect(status).toBe(200)
    expect(body.result).toEqual([{ ...jane, last_active_at: null }, invited])
  })

  it('reads a user with null counts and chat messages as active on the day asked', async () => {
    const { status, body } = await vendor.g.json(`${USERS_PATH}?${vendor.q}&limit=10&date=2025-08-09`)
    expect(status).toBe(200)
    expect(body.result).toEqual([{ ...jane, last_active_at: '2025-08-09T00:00:00.000Z' }, invited])
  })
})
