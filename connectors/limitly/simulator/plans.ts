/** `/plans` and `/plans/{id}`: the account's fixed plan catalogue. */
import type { SimRoute } from '../../../src/sandbox/simulator-kit'
import { isPageParams, pageSlice, parsePage } from './pagination'
import type { EndpointContext } from './users'

export function planRoutes(ctx: EndpointContext, prefix: string): SimRoute[] {
  return [
    {
      method: 'GET',
      pattern: `${prefix}/plans`,
      handler: (req) => {
        const params = parsePage(req, ctx.shape)
        if (!isPageParams(params)) return params
        const { from, to } = pageSlice(req, ctx.data.plans.length, params)
        return ctx.shape.ok(ctx.data.plans.slice(from, to), { count: ctx.data.plans.length })
      },
    },
    {
      method: 'GET',
      pattern: `${prefix}/plans/:id`,
      handler: (req) => {
        const plan = ctx.data.plan(req.params.id)
        return plan ? ctx.shape.ok(plan) : ctx.shape.error(404, 'Plan not found', 'PLAN_NOT_FOUND')
      },
    },
  ]
}
