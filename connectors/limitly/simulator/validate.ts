/**
 * `POST /validate`: the product's core call, checking an end user's `lk_user_…` key against its
 * plan quota and counting the request when allowed. Its bodies always carry `success` (docs and
 * SDK agree here), and its X-RateLimit-* headers describe the end user's quota, not the account's.
 */
import type { SimRequest, SimResponse, SimRoute } from '../../../src/sandbox/simulator-kit'
import type { EndpointContext } from './users'

function failure(status: number, error: string, code: string): SimResponse {
  return { status, body: { success: false, error, code } }
}

function validate(ctx: EndpointContext, req: SimRequest): SimResponse {
  const body = (req.body ?? {}) as Record<string, unknown>
  const { api_key: apiKey, endpoint, method } = body
  if (typeof apiKey !== 'string' || typeof endpoint !== 'string' || typeof method !== 'string') {
    return failure(400, 'api_key, endpoint and method are required', 'INVALID_REQUEST')
  }
  if (!apiKey.startsWith('lk_')) return failure(401, 'Invalid API key', 'INVALID_API_KEY')
  const index = ctx.data.indexOfEndUserApiKey(apiKey)
  if (index === undefined) return failure(404, 'API key not found', 'API_KEY_NOT_FOUND')
  if (ctx.data.key(index).status !== 'active') return failure(403, 'API key is disabled', 'API_KEY_DISABLED')

  const before = ctx.usage.of(index)
  const allowed = before.limit === undefined || before.current < before.limit
  if (allowed) ctx.usage.record(index)
  const u = allowed ? ctx.usage.of(index) : before
  const details = {
    current_usage: u.current,
    limit: u.limit ?? null,
    remaining: u.remaining ?? null,
    reset_time: u.periodEnd,
    plan_name: u.plan?.name ?? null,
  }
  const headers: Record<string, string> = {
    'X-RateLimit-Limit': u.limit === undefined ? 'unlimited' : String(u.limit),
    'X-RateLimit-Remaining': u.remaining === undefined ? 'unlimited' : String(u.remaining),
    'X-RateLimit-Reset': String(Math.floor(Date.parse(u.periodEnd) / 1000)),
    'X-RateLimit-Plan': u.plan?.name ?? 'none',
  }
  if (!allowed) return { status: 429, body: { success: false, error: 'Rate limit exceeded', details }, headers }
  return { status: 200, body: { success: true, details }, headers }
}

export function validateRoutes(ctx: EndpointContext, prefix: string): SimRoute[] {
  return [{ method: 'POST', pattern: `${prefix}/validate`, handler: (req) => validate(ctx, req) }]
}
