/** Hand-written equivalent of mappings/usage-metering/users/openai-codex/user.jsonata (list form). */
import { toIso } from '../../src/engine/mapping/functions'
import type { HandMapper } from './index'
import { personFields } from './semantics'

export const openaiCodexUsers: HandMapper = ({ response }) => {
  const body = response as Record<string, any>
  const users = (body.data !== undefined ? body.data : [body]) as Array<Record<string, any>>
  return users.map((u) =>
    Object.assign(personFields(u), {
      status: u.user?.enabled === false || u.user?.banned === true ? 'inactive' : 'active',
      // `api_key_last_used_at` is platform API-key use, not Codex use: remote_data only.
      last_active_at: null,
      created_at: toIso(u.added_at),
      updated_at: null,
      remote_data: u,
    }),
  )
}
