/** Hand-written equivalent of mappings/usage-metering/users/github-copilot/seat.jsonata. */
import { nameParts, toIso } from '../../src/engine/mapping/functions'
import type { HandMapper } from './index'
import { isObject, jsonataString, truthy } from './semantics'

type Row = Record<string, any>
const text = (v: unknown): v is string => typeof v === 'string' && v !== ''

export const githubCopilotUsers: HandMapper = ({ response, context }) => {
  const body = response as Row
  const seats = body.seats !== undefined ? body.seats : body
  const today = toIso(Date.now())!.slice(0, 10)
  return (Array.isArray(seats) ? seats : [seats])
    .filter((s): s is Row => isObject(s) && isObject(s.assignee) && s.assignee.id !== undefined)
    .map((s) => {
      const a = s.assignee
      const name = text(a.name) ? a.name : null
      const org = typeof s.organization?.login === 'string' ? s.organization.login : context?.org
      const parts = name ? nameParts(name) : undefined
      const pending = s.pending_cancellation_date
      return {
        id: jsonataString(a.id),
        name: name ?? a.login,
        first_name: parts ? parts.first : null,
        last_name: parts ? parts.last : null,
        emails: text(a.email) ? [{ email: a.email, is_primary: true }] : [],
        roles: typeof s.plan_type === 'string' ? [{ id: s.plan_type, name: s.plan_type }] : [],
        status: typeof pending === 'string' && pending <= today ? 'inactive' : 'active',
        organization: truthy(org) ? { id: org, name: org } : null,
        spend_limit: null,
        last_active_at: toIso(s.last_activity_at),
        created_at: toIso(s.created_at),
        updated_at: null,
        remote_data: s,
      }
    })
}
