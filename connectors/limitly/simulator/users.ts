/** `/users`, `/users/{id}` and `/users/{id}/usage`. */
import type { SimRequest, SimResponse, SimRoute } from '../../../src/sandbox/simulator-kit'
import type { LimitlyData } from './data'
import { isPageParams, pageSlice, parsePage } from './pagination'
import type { LimitlyShape } from './shape'
import { percentage, type UsageBook } from './usage'

export interface EndpointContext {
  data: LimitlyData
  shape: LimitlyShape
  usage: UsageBook
}

/** The user index behind `:id`, or the 400/404 Limitly answers. */
function resolveUser(ctx: EndpointContext, raw: string): number | SimResponse {
  if (!/^\d+$/.test(raw)) return ctx.shape.validation('id', 'User ID must be a number')
  const index = ctx.data.indexOfUserId(Number(raw))
  return index ?? ctx.shape.error(404, 'User not found', 'USER_NOT_FOUND')
}

function listUsers(ctx: EndpointContext, req: SimRequest): SimResponse {
  const params = parsePage(req, ctx.shape)
  if (!isPageParams(params)) return params
  const email = req.query.get('email')
  if (email !== null) {
    // The email filter matches at most one user; it still pages, like the unfiltered list.
    const index = ctx.data.indexOfEmail(email)
    const matches = index === undefined ? [] : [ctx.data.user(index)]
    const { from, to } = pageSlice(req, matches.length, params)
    return ctx.shape.ok(matches.slice(from, to), { count: matches.length })
  }
  const total = ctx.data.userCount
  const { from, to } = pageSlice(req, total, params)
  return ctx.shape.ok(ctx.data.users(from, to), { count: total })
}

function getUser(ctx: EndpointContext, req: SimRequest): SimResponse {
  const index = resolveUser(ctx, req.params.id)
  if (typeof index !== 'number') return index
  return ctx.shape.ok(ctx.data.user(index))
}

function userUsage(ctx: EndpointContext, req: SimRequest): SimResponse {
  const index = resolveUser(ctx, req.params.id)
  if (typeof index !== 'number') return index
  const user = ctx.data.user(index)
  const u = ctx.usage.of(index)
  // Plan-less users are unlimited: no limit, percentage or plan name to report (all optional in the SDK type).
  return ctx.shape.ok({
    type: 'user',
    current_usage: u.current,
    ...(u.limit !== undefined ? { limit: u.limit, percentage_used: percentage(u.current, u.limit) } : {}),
    user_name: user.name,
    ...(u.plan ? { plan_name: u.plan.name } : {}),
    period_start: u.periodStart,
    period_end: u.periodEnd,
    is_unlimited: u.limit === undefined,
  })
}

export function userRoutes(ctx: EndpointContext, prefix: string): SimRoute[] {
  return [
    { method: 'GET', pattern: `${prefix}/users`, handler: (req) => listUsers(ctx, req) },
    { method: 'GET', pattern: `${prefix}/users/:id`, handler: (req) => getUser(ctx, req) },
    { method: 'GET', pattern: `${prefix}/users/:id/usage`, handler: (req) => userUsage(ctx, req) },
  ]
}
