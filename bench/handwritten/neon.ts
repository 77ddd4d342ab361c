/** Hand-written equivalent of mappings/usage-metering/users/neon/member.jsonata. */
import { toIso } from '../../src/engine/mapping/functions'
import type { HandMapper } from './index'
import { first, truthy } from './semantics'

type Row = Record<string, any>

/** The part of an email before the @ (everyone but the key owner is named by it). */
const localPart = (email: unknown) => (typeof email === 'string' && email.includes('@') ? email.slice(0, email.indexOf('@')) : null)

/** `$join([me.name, me.last_name][non-empty strings], ' ')`: undefined when there are none. */
function ownerName(me: Row): string | undefined {
  const parts = [me.name, me.last_name].filter((v) => typeof v === 'string' && v !== '')
  return parts.length > 0 ? parts.join(' ') : undefined
}

export const neonUsers: HandMapper = ({ response, sideload, page }) => {
  const org = first(sideload?.organization)
  const organization = truthy(org) ? { id: org!.id, name: org!.name } : null
  const me = first(sideload?.me)
  const body = response as Row
  const members = ((body.members ?? []) as Row[]).map((m) => {
    const isMe = truthy(me) && me!.id !== undefined && me!.id === m.member?.user_id
    const owner = isMe ? ownerName(me!) : undefined
    const email = m.user?.email
    const role = m.member?.role
    return {
      id: m.member?.user_id,
      name: truthy(owner) ? owner : localPart(email),
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
  // Pending invitations on the page that ends the walk, so each appears once.
  const invited = !(page as { last?: boolean } | undefined)?.last
    ? []
    : ((sideload?.invitations ?? []) as Row[]).map((i) => ({
        id: i.id,
        name: localPart(i.email),
        emails: truthy(i.email) ? [{ email: i.email, is_primary: true }] : [],
        roles: truthy(i.role) ? [{ id: i.role, name: i.role }] : [],
        status: 'invited',
        organization,
        created_at: toIso(i.invited_at),
        remote_data: i,
      }))
  return [...members, ...invited]
}
