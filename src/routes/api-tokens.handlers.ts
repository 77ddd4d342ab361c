/**
 * API token handlers. The token is in the create response once, never again; a revoked token is
 * refused from the next request on, because verification reads the revocation.
 */
import type { RouteHandler } from '@hono/zod-openapi'
import { storedRole } from '../accounts/token-roles'
import type { ApiTokenRow } from '../db/schema'
import { ApiError } from '../lib/http-errors'
import type * as routes from './api-tokens.routes'
import type { AppEnv } from './create-app'

export function toTokenView(row: ApiTokenRow) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    created_at: row.createdAt,
    last_used_at: row.lastUsedAt,
    revoked_at: row.revokedAt,
    role: storedRole(row.role),
    tenant_id: row.tenantId,
  }
}

export const create: RouteHandler<typeof routes.create, AppEnv> = async (c) => {
  const body = c.req.valid('json')
  const { token, row } = await c.var.services.tokens.create(body.name, { role: body.role, tenantId: body.tenant_id })
  return c.json({ ...toTokenView(row), token }, 201)
}

export const list: RouteHandler<typeof routes.list, AppEnv> = async (c) => {
  const rows = await c.var.services.tokens.list()
  return c.json({ result: rows.map(toTokenView), next_cursor: null, limit: rows.length }, 200)
}

export const revoke: RouteHandler<typeof routes.revoke, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const tokens = c.var.services.tokens
  if (id === 'bootstrap') {
    throw new ApiError(
      400,
      'bootstrap_token',
      'The bootstrap token comes from UNIMETER_ADMIN_TOKEN: unset that variable and restart to retire it',
    )
  }
  const row = await tokens.get(id)
  if (!row) throw new ApiError(404, 'api_token_not_found', `No API token with id ${id}`)
  // Without UNIMETER_ADMIN_TOKEN, the last admin token is the only way to manage tokens again.
  const lastAdmin =
    !tokens.hasBootstrapToken() &&
    !row.revokedAt &&
    row.role === 'admin' &&
    row.tenantId === null &&
    (await tokens.countActiveUnboundAdmins()) <= 1
  if (lastAdmin) {
    throw new ApiError(
      409,
      'last_admin_token',
      'This is the last admin token: create another admin token first (or set UNIMETER_ADMIN_TOKEN), then revoke this one',
    )
  }
  await tokens.revoke(id)
  return c.json({ id }, 200)
}
