/** Hand-written equivalent of mappings/usage-metering/users/limitly/user.jsonata. */
import { firstNonEmpty, toIso } from '../../src/engine/mapping/functions'
import type { HandMapper } from './index'
import { first, jsonataString, truthy } from './semantics'

const orNull = (v: unknown) => (v === undefined ? null : v)

export const limitlyUsers: HandMapper = ({ response, sideload }) => {
  const u = first(sideload?.usage)
  const data = (response as Record<string, any>).data
  const users = (data === undefined ? [] : Array.isArray(data) ? data : [data]) as Array<Record<string, any>>
  return users.map((r) => {
    const plan = r.plan
    return {
      id: jsonataString(r.user_id),
      name: r.name,
      emails: truthy(r.email) ? [{ email: r.email, is_primary: true }] : [],
      status: r.is_disabled === true ? 'inactive' : 'active',
      created_at: toIso(r.created_at),
      updated_at: toIso(r.updated_at),
      plan: truthy(plan)
        ? {
            id: orNull(plan.id),
            name: orNull(plan.name),
            max_requests: orNull(plan.max_requests),
            request_period: orNull(plan.request_period),
          }
        : null,
      usage: truthy(u)
        ? {
            current_usage: orNull(u!.current_usage),
            limit: orNull(u!.limit),
            remaining: orNull(
              firstNonEmpty(
                u!.remaining,
                u!.limit !== undefined && u!.current_usage !== undefined ? Math.max(0, u!.limit - u!.current_usage) : undefined,
              ),
            ),
            reset_time: orNull(toIso(firstNonEmpty(u!.reset_time, u!.period_end))),
            period: orNull(firstNonEmpty(u!.period, plan?.request_period)),
            plan_name: orNull(firstNonEmpty(u!.plan_name, plan?.name)),
          }
        : null,
      remote_data: truthy(u) ? { ...r, usage: u } : r,
    }
  })
}
