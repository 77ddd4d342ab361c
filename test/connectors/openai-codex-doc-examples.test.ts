/**
 * OpenAI Codex on OpenAI's own documented examples (test/fixtures/openai-codex): each endpoint the
 * connector calls answers its reference example verbatim, through the connector and mappings,
 * and the unified users are asserted field by field. One fixture per documented variant of the
 * invite (send time as `created_at` or `invited_at`, with or without `projects`).
 */
import { unifiedUser } from '../support/unified-user'
import { describe, expect, it } from 'vitest'
import { openaiInvite, openaiInviteList, openaiUser, openaiUserList } from '../../connectors/openai-codex/wire-schemas'
import invitesGet from '../fixtures/openai-codex/invites-get'
import invitesGetCreatedAt from '../fixtures/openai-codex/invites-get.created-at'
import invitesList from '../fixtures/openai-codex/invites-list'
import invitesListGenerated from '../fixtures/openai-codex/invites-list.generated'
import usersGet from '../fixtures/openai-codex/users-get'
import usersList from '../fixtures/openai-codex/users-list'
import { useReplayAccount, USERS_PATH } from './support/vendor-accounts'
import { describeDocExamples } from './support/wire-examples'

const firstLast = unifiedUser({
  id: 'user_abc',
  name: 'First Last',
  first_name: 'First',
  last_name: 'Last',
  emails: [{ email: 'user@example.com', is_primary: true }],
  roles: [{ id: 'owner', name: 'owner' }],
  status: 'active',
  // The Admin API has no Codex activity time (api_key_last_used_at is platform key use).
  last_active_at: null,
  created_at: '2024-03-26T16:45:33.000Z',
  updated_at: null,
  remote_data: usersList.data[0],
})

const pendingInvite = unifiedUser({
  id: 'invite-def',
  name: null,
  first_name: null,
  last_name: null,
  emails: [{ email: 'anotheruser@example.com', is_primary: true }],
  roles: [{ id: 'reader', name: 'reader' }],
  status: 'invited',
  last_active_at: null,
  created_at: '2024-03-26T16:45:33.000Z',
  updated_at: null,
  remote_data: invitesGetCreatedAt,
})

describeDocExamples('openai-codex', [
  ['users-list', openaiUserList, usersList],
  ['users-get', openaiUser, usersGet],
  ['invites-list', openaiInviteList, invitesList],
  ['invites-list.generated', openaiInviteList, invitesListGenerated],
  ['invites-get', openaiInvite, invitesGet],
  ['invites-get.created-at', openaiInvite, invitesGetCreatedAt],
])

describe('openai-codex: the invite schema', () => {
  it('an invite with neither send time, or both, is not the documented shape', () => {
    const { created_at: _c, ...neither } = invitesGetCreatedAt
    expect(openaiInvite.safeParse(neither).success).toBe(false)
    expect(openaiInvite.safeParse({ ...invitesGetCreatedAt, invited_at: 1 }).success).toBe(false)
  })
})

describe('openai-codex: documented examples → unified users', () => {
  const vendor = useReplayAccount(
    'openai-codex',
    '/v1',
    {
      'GET /organization/users': usersList,
      'GET /organization/users/user_abc': usersGet,
      // The documented list holds one accepted invite (listed as a member already, not again).
      'GET /organization/invites': invitesList,
      'GET /organization/invites/invite-abc': invitesGet,
      'GET /organization/invites/invite-def': invitesGetCreatedAt,
    },
    { api_key: 'sk-admin-recorded' },
  )

  it('maps the users example exactly and lists no accepted invite', async () => {
    const { body } = await vendor.g.json(`${USERS_PATH}?${vendor.q}`)
    expect(body).toEqual({ result: [firstLast], next_cursor: null, prev_cursor: null, result_count: 1 })
    const invites = vendor.replay.requests.filter((r) => r.path === '/v1/organization/invites')
    expect(invites).toHaveLength(1)
  })

  it('gets the user by id', async () => {
    expect((await vendor.g.json(`${USERS_PATH}/user_abc?${vendor.q}`)).body).toEqual({ ...firstLast, remote_data: usersGet })
  })

  it('gets a pending invite (current spec, created_at) as an invited user', async () => {
    expect((await vendor.g.json(`${USERS_PATH}/invite-def?${vendor.q}`)).body).toEqual(pendingInvite)
  })

  it('an accepted invite is not a user of its own: 404', async () => {
    const { status, body } = await vendor.g.json(`${USERS_PATH}/invite-abc?${vendor.q}`)
    expect(status).toBe(404)
    expect(body).toMatchObject({ statusCode: 404 })
  })
})

describe('openai-codex: the generated example (has_more, placeholder ids) and an older-spec pending invite', () => {
  /** The older spec's pending invite: the retrieve example with `status: pending` (send time `invited_at`). */
  const olderPending = { ...invitesGet, id: 'invite-old', status: 'pending' }
  const vendor = useReplayAccount(
    'openai-codex',
    '/v1',
    {
      'GET /organization/users': usersList,
      'GET /organization/invites': invitesListGenerated,
      // The generated example says has_more with last_id "last_id"; its next page is this one.
      'GET /organization/invites?after=last_id': {
        object: 'list',
        data: [olderPending],
        first_id: 'invite-old',
        last_id: 'invite-old',
        has_more: false,
      },
    },
    { api_key: 'sk-admin-recorded' },
  )

  it('follows has_more through the invites and reads invited_at when created_at is absent', async () => {
    const { body } = await vendor.g.json(`${USERS_PATH}?${vendor.q}&limit=10`)
    expect(body.result).toEqual([
      firstLast,
      {
        ...pendingInvite,
        id: 'invite-old',
        emails: [{ email: 'user@example.com', is_primary: true }],
        roles: [{ id: 'owner', name: 'owner' }],
        created_at: '2024-03-26T16:45:33.000Z',
        remote_data: olderPending,
      },
    ])
    const afters = vendor.replay.requests
      .filter((r) => r.path === '/v1/organization/invites')
      .map((r) => new URLSearchParams(r.query).get('after'))
    expect(afters).toEqual([null, 'last_id'])
  })
})
