/**
 * Authorization, after authentication and before any handler: what the token's role and tenant
 * binding allow on this route. Refusals are 403 `forbidden`, naming the role (or the unbound
 * token) the action needs. The rules are by route family and method, so a new route gets a
 * decision without registering anything; test/security/access-matrix.test.ts lists the expected
 * decision of every documented route, and fails for a route it does not know.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { type TenantScope } from '../accounts/tenant-scope'
import { roleAllows, type TokenRole } from '../accounts/token-roles'
import type { TokenIdentity } from '../accounts/token-store'
import { ApiError } from '../lib/http-errors'
import { LINK_TOKEN_PATHS, PUBLIC_PATHS, type AppEnv } from './app-env'

/**
 * Route families whose handlers limit what they read and change to the token's tenant. Any
 * other family (API tokens, webhooks, and whatever is added later until it is made tenant-aware)
 * refuses tenant-bound tokens: webhooks receive every tenant's events.
 */
const TENANT_AWARE_FAMILIES = new Set(['integrated-account', 'unified', 'sync-job', 'sync-job-run', 'integrations', 'link-token'])

export interface RouteAccess {
  /** The least role allowed. */
  role: TokenRole
  /** Whether a tenant-bound token is allowed. */
  tenantBound: boolean
}

export function routeAccess(method: string, path: string): RouteAccess {
  const family = path.split('/')[1] ?? ''
  const reads = method === 'GET' || method === 'HEAD'
  // /admin: operating the gateway itself (key rotation), for admins only like API tokens.
  const role: TokenRole = family === 'api-token' || family === 'admin' ? 'admin' : reads ? 'read' : 'write'
  return { role, tenantBound: TENANT_AWARE_FAMILIES.has(family) }
}

/** Why `identity` may not call `method path`, or undefined when it may. */
export function refusal(identity: TokenIdentity, method: string, path: string): string | undefined {
  const needed = routeAccess(method, path)
  const action = path.split('/')[1] === 'api-token' ? 'Managing API tokens' : `${method} ${path}`
  if (!roleAllows(identity.role, needed.role)) {
    const roles = needed.role === 'admin' ? 'role admin' : `role ${needed.role} or admin`
    return `${action} needs an API token with ${roles}; this token's role is ${identity.role}`
  }
  if (identity.tenantId !== null && !needed.tenantBound) {
    return `${action} needs an API token with role ${needed.role} that is not bound to a tenant; this token is bound to tenant ${identity.tenantId}`
  }
  return undefined
}

export function authorize(): MiddlewareHandler<AppEnv> {
  return function authorizeToken(c, next) {
    if (PUBLIC_PATHS.has(c.req.path) || LINK_TOKEN_PATHS.has(c.req.path)) return next()
    const why = refusal(c.get('identity'), c.req.method, c.req.path)
    if (why) throw new ApiError(403, 'forbidden', why)
    return next()
  }
}

/** The tenant this request may see: the token's binding. */
export function tenantScope(c: Context<AppEnv>): TenantScope {
  return c.get('identity').tenantId
}
