/** Hand-written equivalent of mappings/usage-metering/users/neon/member.jsonata. */
import { toIso } from '../../src/engine/mapping/functions'
import type { HandMapper } from './index'
import { first, truthy } from './semantics'

export const neonUsers: HandMapper = ({ response, sideload }) => {
  const org = first(sideload?.organization)
  const organization = truthy(org) ? { id: org!.id, name: org!.name } : null
  const me = first(sideload?.me)
  const body = response as Record<string, any>
  const members = ((body.members ?? []) as Array<Record<string, any>>).map((m) => {
    const isMe = truthy(me) && me!.id !== undefined && me!.id === m.member?.user_id
    const email = m.user?.email
    const role = m.member?.role
    // `$join([...][filter], ' ')` of nothing is undefined: the field is then left out.
    const nameParts = isMe ? [me!.name, me!.last_name].filter((v) => typeof v === 'string' && v !== '') : []
    return {
      id: m.member?.user_id,
      name: isMe ? (nameParts.length > 0 ? nameParts.join(' ') : undefined) : null,
      first_name: isMe ? me!.name : null,
      last_name: isMe ? me!.last_name : null,
      emails: truthy(email) ? [{ email, is_primary: true }] : [],
      roles: truthy(role) ? [{ id: role, name: role }] : [],
      status: 'active',
      organization,
      created_at: toIso(m.member?.joined_at),
      remote_data: m,
    }
  })
  const invited =
    body.pagination?.next !== undefined
      ? []
      : ((sideload?.invitations ?? []) as Array<Record<string, any>>).map((i) => ({
          id: i.id,
          name: null,
          emails: truthy(i.email) ? [{ email: i.email, is_primary: true }] : [],
          roles: truthy(i.role) ? [{ id: i.role, name: i.role }] : [],
          status: 'invited',
          organization,
          created_at: toIso(i.invited_at),
          remote_data: i,
        }))
  return [...members, ...invited]
}
