/**
 * Integrated account handlers: credentials are validated and verified against the vendor before
 * they are stored. A tenant-bound token sees only its tenant's accounts and keeps the accounts
 * it creates or changes in it.
 */
import { connectAccount, updateAccountContext } from '../accounts/account-connect'
import type { RouteHandler } from '@hono/zod-openapi'
import { toAccountView } from '../accounts/account-store'
import { accountOr404, type TenantScope } from '../accounts/tenant-scope'
import { ApiError, badRequest } from '../lib/http-errors'
import type { GatewayServices } from '../services'
import { tenantScope } from './access-policy'
import type { AppEnv } from './create-app'
import type * as routes from './integrated-accounts.routes'

/**
 * The tenant_id an account gets from a create or PATCH body (undefined from an unbound token:
 * none on create, unchanged on PATCH). A tenant-bound token's accounts stay in its tenant: it may omit tenant_id or give
 * its own; any other value, null included, would hand the account to another tenant.
 */
function tenantFor(scope: TenantScope, requested: string | null | undefined): string | null | undefined {
  if (scope === null) return requested
  if (requested === undefined) return scope
  if (requested !== scope) {
    throw new ApiError(
      403,
      'forbidden',
      `This API token is bound to tenant ${scope}: tenant_id must be ${scope} (or omitted); another tenant's accounts need a token not bound to a tenant`,
    )
  }
  return requested
}

/** The account as answered, with credential warnings (also logged, without the values). */
function withWarnings<T extends { id: string; integration_name: string }>(
  services: GatewayServices,
  view: T,
  warnings: string[],
): T & { warnings?: string[] } {
  if (warnings.length === 0) return view
  services.logger.warn('credential accepted with warnings', { account: view.id, integration: view.integration_name, warnings })
  return { ...view, warnings }
}

export const create: RouteHandler<typeof routes.create, AppEnv> = async (c) => {
  const services = c.var.services
  const body = c.req.valid('json')
  const name = body.integration ?? body.integration_name ?? body.environment_integration_id
  if (!name)
    throw badRequest('missing_required_body_fields', `integration is required: one of ${services.connectors.ids().join(', ')}`, {
      details: { field: 'integration' },
    })
  const tenantId = tenantFor(tenantScope(c), body.tenant_id) ?? null
  const environment = body.environment ?? 'production'
  const { row, connector, warnings } = await connectAccount(services, { integration: name, tenantId, context: body.context, environment })
  return c.json(withWarnings(services, toAccountView(row, connector), warnings), 201)
}

export const list: RouteHandler<typeof routes.list, AppEnv> = async (c) => {
  const services = c.var.services
  const q = c.req.valid('query')
  const limit = q.limit ?? 100
  const binding = { accountId: '*', resource: 'integrated-account' }
  const afterId = q.next_cursor ? String((await services.cursors.decode(binding, q.next_cursor)).after) : undefined
  const scope = tenantScope(c)
  // A tenant-bound token asking for another tenant gets what it may see of it: nothing.
  if (scope !== null && q.tenant_id !== undefined && q.tenant_id !== scope) return c.json({ result: [], next_cursor: null, limit }, 200)
  const tenantId = scope ?? q.tenant_id
  const rows = await services.accounts.list({
    integration: q.integration ?? q.integration_name,
    tenantId,
    environment: q.environment,
    afterId,
    limit: limit + 1,
  })
  const page = rows.slice(0, limit)
  const next = rows.length > limit ? await services.cursors.encode(binding, { after: page[page.length - 1].id }) : null
  return c.json({ result: page.map((r) => toAccountView(r, services.connectors.get(r.integration))), next_cursor: next, limit }, 200)
}

export const getOne: RouteHandler<typeof routes.getOne, AppEnv> = async (c) => {
  const row = await accountOr404(c.var.services, c.req.valid('param').id, tenantScope(c))
  return c.json(toAccountView(row, c.var.services.connectors.get(row.integration)), 200)
}

export const patch: RouteHandler<typeof routes.patch, AppEnv> = async (c) => {
  const services = c.var.services
  const scope = tenantScope(c)
  const row = await accountOr404(services, c.req.valid('param').id, scope)
  const connector = services.connectors.get(row.integration)
  if (!connector) throw badRequest('unknown_integration', `integration "${row.integration}" is not available`)
  const body = c.req.valid('json')
  const tenantId = body.tenant_id === undefined ? undefined : tenantFor(scope, body.tenant_id)
  const { row: updated, warnings } = await updateAccountContext(services, row, connector, { tenantId, context: body.context })
  return c.json(withWarnings(services, toAccountView(updated, connector), warnings), 200)
}

export const remove: RouteHandler<typeof routes.remove, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  await accountOr404(c.var.services, id, tenantScope(c))
  await c.var.services.accounts.delete(id)
  await c.var.services.events.emit('integrated_account:deleted', { id })
  return c.json({ id }, 200)
}
