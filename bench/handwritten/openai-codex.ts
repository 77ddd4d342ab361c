/** Hand-written equivalent of mappings/usage-metering/users/openai-codex/user.jsonata (list form). */
import { nameParts, toIso } from '../../src/engine/mapping/functions'
import type { HandMapper } from './index'
import { truthy } from './semantics'

export const openaiCodexUsers: HandMapper = ({ response }) => {
  const body = response as Record<string, any>
  const users = (body.data !== undefined ? body.data : [body]) as Array<Record<string, any>>
  return users.map((u) => {
    const parts = nameParts(u.name)
    return {
      id: u.id,
      name: u.name,
      first_name: parts.first,
      last_name: parts.last,
      emails: truthy(u.email) ? [{ email: u.email, is_primary: true }] : [],
      roles: truthy(u.role) ? [{ id: u.role, name: u.role }] : [],
      status: u.user?.enabled === false || u.user?.banned === true ? 'inactive' : 'active',
      last_active_at: toIso(u.api_key_last_used_at),
      created_at: toIso(u.added_at),
      updated_at: null,
      remote_data: u,
    }
  })
}
