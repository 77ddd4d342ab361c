/**
 * `/keys`, `/keys/{id}` and `/keys/{id}/usage`. The docs and the SDK disagree on the usage shape
 * (§5.2), so it is a variant: 'docs' (default) `{current_usage, limit, remaining, reset_time,
 * period}`, 'sdk' the SDK's camelCase `ApiKeyUsage`.
 */
import type { SimResponse, SimRoute } from '../../../src/sandbox/simulator-kit'
import { hash32 } from '../../../src/sandbox/simulator-kit'
import { isPageParams, pageSlice, parsePage } from './pagination'
import { percentage } from './usage'
import type { EndpointContext } from './users'

export type KeyUsageShape = 'docs' | 'sdk'

export function parseKeyUsageShape(value: string | undefined): KeyUsageShape {
  if (value === undefined || value === 'docs') return 'docs'
  if (value === 'sdk') return 'sdk'
  throw new Error(`limitly simulator: unknown keyUsage variant '${value}' (expected 'docs' or 'sdk')`)
}

function resolveKey(ctx: EndpointContext, id: string): number | SimResponse {
  const index = ctx.data.indexOfKeyId(id)
  return index ?? ctx.shape.error(404, 'API key not found', 'API_KEY_NOT_FOUND')
}

function keyUsage(ctx: EndpointContext, index: number, shape: KeyUsageShape): unknown {
  const u = ctx.usage.of(index)
  if (shape === 'docs') {
    return {
      current_usage: u.current,
      limit: u.limit ?? null,
      remaining: u.remaining ?? null,
      reset_time: u.limit === undefined ? null : u.periodEnd,
      period: u.plan?.request_period ?? null,
    }
  }
  const key = ctx.data.key(index)
  // All-time requests exceed this period's by a seeded multiple: older periods had traffic too.
  const earlier = u.current * (hash32(ctx.data.seed ^ 0x70a1, index) % 5)
  return {
    apiKeyId: key.id,
    apiKeyName: key.name,
    created_at: key.created_at,
    periodStart: u.periodStart,
    periodEnd: u.periodEnd,
    totalRequests: u.current + earlier,
    requestsInPeriod: u.current,
    percentageUsed: u.limit === undefined ? 0 : percentage(u.current, u.limit),
    limit: u.limit ?? null,
    planName: u.plan?.name ?? null,
    isUnlimited: u.limit === undefined,
  }
}

export function keyRoutes(ctx: EndpointContext, prefix: string, usageShape: KeyUsageShape): SimRoute[] {
  return [
    {
      method: 'GET',
      pattern: `${prefix}/keys`,
      handler: (req) => {
        const params = parsePage(req, ctx.shape)
        if (!isPageParams(params)) return params
        const total = ctx.data.userCount
        const { from, to } = pageSlice(req, total, params)
        return ctx.shape.ok(ctx.data.keys(from, to), { count: total })
      },
    },
    {
      method: 'GET',
      pattern: `${prefix}/keys/:id`,
      handler: (req) => {
        const index = resolveKey(ctx, req.params.id)
        return typeof index === 'number' ? ctx.shape.ok(ctx.data.key(index)) : index
      },
    },
    {
      method: 'GET',
      pattern: `${prefix}/keys/:id/usage`,
      handler: (req) => {
        const index = resolveKey(ctx, req.params.id)
        return typeof index === 'number' ? ctx.shape.ok(keyUsage(ctx, index, usageShape)) : index
      },
    },
  ]
}
