/** Hand-written equivalent of mappings/usage-metering/users/claude/user.jsonata (list form). */
import { maxBy, toIso } from '../../src/engine/mapping/functions'
import type { HandMapper } from './index'
import { first, lookup, personFields, truthy } from './semantics'

export const claudeUsers: HandMapper = ({ response, sideload }) => {
  const latest = maxBy(sideload?.activity, 'actor.email_address', 'date', { 'actor.type': 'user_actor' })
  const org = first(sideload?.organization)
  const body = response as Record<string, any>
  const users = (body.data !== undefined ? body.data : [body]) as Array<Record<string, any>>
  return users.map((u) =>
    Object.assign(personFields(u), {
      status: 'active',
      organization: truthy(org) ? { id: org!.id, name: org!.name } : null,
      last_active_at: (truthy(u.email) ? toIso(lookup(latest, u.email)) : undefined) ?? null,
      created_at: toIso(u.added_at),
      updated_at: null,
      remote_data: u,
    }),
  )
}
