/**
 * Hand-written equivalents of the invite mappings walked after the members:
 * mappings/usage-metering/users/claude/invite.jsonata and …/openai-codex/invite.jsonata (list form).
 */
import { firstNonEmpty, toIso } from '../../src/engine/mapping/functions'
import type { HandMapper } from './index'
import { first, truthy } from './semantics'

type Row = Record<string, any>

const pending = (response: unknown): Row[] => {
  const body = response as Row
  const invites = body.data !== undefined ? body.data : body
  return (Array.isArray(invites) ? invites : [invites]).filter((i: Row) => i?.status === 'pending')
}

const inviteFields = (i: Row) => ({
  id: i.id,
  name: null,
  first_name: null,
  last_name: null,
  emails: truthy(i.email) ? [{ email: i.email, is_primary: true }] : [],
  roles: truthy(i.role) ? [{ id: i.role, name: i.role }] : [],
  status: 'invited',
})

export const claudeInvites: HandMapper = ({ response, sideload }) => {
  const org = first(sideload?.organization)
  return pending(response).map((i) =>
    Object.assign(inviteFields(i), {
      organization: truthy(org) ? { id: org!.id, name: org!.name } : null,
      last_active_at: null,
      created_at: toIso(i.invited_at),
      updated_at: null,
      remote_data: i,
    }),
  )
}

export const openaiCodexInvites: HandMapper = ({ response }) =>
  pending(response).map((i) =>
    Object.assign(inviteFields(i), {
      last_active_at: null,
      created_at: toIso(firstNonEmpty(i.created_at, i.invited_at)),
      updated_at: null,
      remote_data: i,
    }),
  )
