/** `/users`, `/users/{id}` and `/users/{id}/usage`. */
import type { SimRequest, SimResponse, SimRoute } from '../../../src/sandbox/simulator-kit'
import type { LimitlyData, LimitlyUser } from './data'
import { isPageParams, pageSlice, parsePage } from './pagination'
import type { LimitlyShape } from './shape'
import { percentage, type UsageBook } from './usage'

export interface EndpointContext {
  data: LimitlyData
  shape: LimitlyShape
  usage: UsageBook
}

/**
 * Run-time edits (`/__sim/records`, collection `users`, id = the `user_id` as text) applied to
 * the generated users: an edited user is served with its fields changed, a removed one is gone
 * from the list, its count, get and usage.
 */
const COLLECTION = 'users'
const isRemoved = (req: SimRequest, index: number, ctx: EndpointContext) =>
  req.records.size > 0 && req.records.isRemoved(COLLECTION, String(ctx.data.user(index).user_id))

function served(req: SimRequest, user: LimitlyUser): LimitlyUser {
  if (req.records.size === 0) return user
  // The kit's edits are keyed by a string `id`; Limitly's users carry `user_id` instead.
  const { id: _id, ...patched } = req.records.patch(COLLECTION, { ...user, id: String(user.user_id) })
  return { ...patched, user_id: user.user_id } as LimitlyUser
}

/** The user index behind `:id`, or the 400/404 Limitly answers. */
function resolveUser(ctx: EndpointContext, req: SimRequest): number | SimResponse {
  const raw = req.params.id
  if (!/^\d+$/.test(raw)) return ctx.shape.validation('id', 'User ID must be a number')
  const index = ctx.data.indexOfUserId(Number(raw))
  return index === undefined || isRemoved(req, index, ctx) ? ctx.shape.error(404, 'User not found', 'USER_NOT_FOUND') : index
}

/** Indexes of the users still there, in listing order (built only when edits remove some). */
function presentIndexes(ctx: EndpointContext, req: SimRequest): number[] | undefined {
  if (req.records.size === 0) return undefined
  const present: number[] = []
  for (let i = 0; i < ctx.data.userCount; i++) if (!isRemoved(req, i, ctx)) present.push(i)
  return present.length === ctx.data.userCount ? undefined : present
}

function listUsers(ctx: EndpointContext, req: SimRequest): SimResponse {
  const params = parsePage(req, ctx.shape)
  if (!isPageParams(params)) return params
  const email = req.query.get('email')
  if (email !== null) {
    // The email filter matches at most one user; it still pages, like the unfiltered list.
    const index = ctx.data.indexOfEmail(email)
    const matches = index === undefined || isRemoved(req, index, ctx) ? [] : [served(req, ctx.data.user(index))]
    const { from, to } = pageSlice(req, matches.length, params)
    return ctx.shape.ok(matches.slice(from, to), { count: matches.length })
  }
  const present = presentIndexes(ctx, req)
  const total = present?.length ?? ctx.data.userCount
  const { from, to } = pageSlice(req, total, params)
  const users = present ? present.slice(from, to).map((i) => ctx.data.user(i)) : ctx.data.users(from, to)
  return ctx.shape.ok(
    users.map((u) => served(req, u)),
    { count: total },
  )
}

function getUser(ctx: EndpointContext, req: SimRequest): SimResponse {
  const index = resolveUser(ctx, req)
  if (typeof index !== 'number') return index
  return ctx.shape.ok(served(req, ctx.data.user(index)))
}

function userUsage(ctx: EndpointContext, req: SimRequest): SimResponse {
  const index = resolveUser(ctx, req)
  if (typeof index !== 'number') return index
  const user = served(req, ctx.data.user(index))
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
