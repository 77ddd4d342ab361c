/**
 * Integrated accounts: create (validated and verified), list, get, update, delete. A tenant-bound
 * token sees only its tenant's accounts and keeps the accounts it creates or changes in it.
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { connectAccount, updateAccountContext } from '../accounts/account-connect'
import { toAccountView } from '../accounts/account-store'
import { accountOr404, type TenantScope } from '../accounts/tenant-scope'
import { ApiError, badRequest } from '../lib/http-errors'
import type { GatewayServices } from '../services'
import { tenantScope } from './access-policy'
import { createRouter, type AppEnv } from './create-app'
import { errorResponses } from './errors'

const tag = 'Integrated accounts'

export const accountSchema = z
  .object({
    id: z.string(),
    // Field by field with Truto's integrated account (README, "Truto clients"): `integration` is an
    // object there, so it is one here too, and integration_name keeps the plain id.
    integration: z
      .object({ id: z.string(), name: z.string(), label: z.string() })
      .openapi({ description: "The connector, shaped like Truto's integration object (name is the connector id)." }),
    integration_name: z.string().openapi({ example: 'claude' }),
    environment_integration_id: z.string().openapi({ description: 'The connector id: a gateway installs each connector once.' }),
    environment_id: z.string().openapi({ description: 'Always "default": a gateway is one environment.' }),
    is_sandbox: z.boolean(),
    tenant_id: z.string().nullable(),
    environment: z.enum(['production', 'sandbox']).or(z.string()),
    status: z.string().openapi({ description: 'active | needs_reauth' }),
    context: z.record(z.string(), z.unknown()).openapi({ description: 'Non-secret context. Secret credentials are never returned.' }),
    credential_fields: z.array(z.string()).openapi({
      description: "Names of the integration's secret fields (optional ones included; values are stored encrypted and never shown).",
    }),
    last_error: z.string().nullable(),
    warnings: z.array(z.string()).optional().openapi({
      description: 'On create/update only: credentials that do not look like a documented form but were accepted by the vendor.',
    }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('IntegratedAccount')

const contextSchema = z.record(z.string(), z.unknown()).openapi({ example: { api_key: 'sk-ant-admin01-…' } })

const connectorId = z.string().min(1).max(100)
const createBody = z.object({
  integration: connectorId.optional().openapi({
    example: 'claude',
    description: 'The connector id (required unless integration_name or environment_integration_id names it).',
  }),
  integration_name: connectorId.optional().openapi({ description: 'Alias of integration (Truto spelling).' }),
  environment_integration_id: connectorId.optional().openapi({ description: "Alias of integration (Truto's create body)." }),
  tenant_id: z.string().max(200).nullable().optional(),
  context: contextSchema,
  environment: z.enum(['production', 'sandbox']).optional().openapi({
    description:
      "sandbox: the account talks to the gateway's built-in simulator of this integration (its keys are printed by npm start), to try connecting offline. 503 when the sandbox is off. Default production.",
  }),
})

const patchBody = z.object({
  tenant_id: z.string().max(200).nullable().optional(),
  context: contextSchema.optional().openapi({ description: 'Shallow-merged into the current context; null removes a key.' }),
})

const idParam = z.object({ id: z.string().min(1).max(200) })
const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description })
const bodyOf = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } })

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

export function integratedAccountRoutes() {
  const router = createRouter()

  router.openapi(
    createRoute({
      method: 'post',
      path: '/integrated-account',
      operationId: 'createIntegratedAccount',
      tags: [tag],
      summary: 'Connect an account',
      request: bodyOf(createBody),
      responses: { 201: json(accountSchema, 'Created.'), ...errorResponses },
    }),
    (async (c: Context<AppEnv>) => {
      const services = c.var.services
      const body = (c.req as unknown as { valid(t: 'json'): z.infer<typeof createBody> }).valid('json')
      const name = body.integration ?? body.integration_name ?? body.environment_integration_id
      if (!name)
        throw badRequest('missing_required_body_fields', `integration is required: one of ${services.connectors.ids().join(', ')}`, {
          details: { field: 'integration' },
        })
      const tenantId = tenantFor(tenantScope(c), body.tenant_id) ?? null
      const environment = body.environment ?? 'production'
      const { row, connector, warnings } = await connectAccount(services, {
        integration: name,
        tenantId,
        context: body.context,
        environment,
      })
      return c.json(withWarnings(services, toAccountView(row, connector), warnings), 201)
    }) as never,
  )

  router.openapi(
    createRoute({
      method: 'get',
      path: '/integrated-account',
      operationId: 'listIntegratedAccounts',
      tags: [tag],
      summary: 'List accounts',
      request: {
        query: z.object({
          integration: z.string().optional(),
          integration_name: z.string().optional().openapi({ description: 'Alias of integration (Truto spelling).' }),
          tenant_id: z.string().optional(),
          environment: z.string().optional(),
          limit: z.coerce.number().int().min(1).max(500).optional(),
          next_cursor: z.string().max(2000).optional(),
        }),
      },
      responses: {
        200: json(
          z.object({ result: z.array(accountSchema), next_cursor: z.string().nullable(), limit: z.number() }),
          'A page of accounts.',
        ),
        ...errorResponses,
      },
    }),
    (async (c: Context<AppEnv>) => {
      const services = c.var.services
      const q = (
        c.req as unknown as {
          valid(t: 'query'): {
            integration?: string
            integration_name?: string
            tenant_id?: string
            environment?: string
            limit?: number
            next_cursor?: string
          }
        }
      ).valid('query')
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
    }) as never,
  )

  router.openapi(
    createRoute({
      method: 'get',
      path: '/integrated-account/{id}',
      operationId: 'getIntegratedAccount',
      tags: [tag],
      summary: 'Get an account',
      request: { params: idParam },
      responses: { 200: json(accountSchema, 'The account.'), ...errorResponses },
    }),
    (async (c: Context<AppEnv>) => {
      const row = await accountOr404(c.var.services, c.req.param('id') ?? '', tenantScope(c))
      return c.json(toAccountView(row, c.var.services.connectors.get(row.integration)), 200)
    }) as never,
  )

  router.openapi(
    createRoute({
      method: 'patch',
      path: '/integrated-account/{id}',
      operationId: 'updateIntegratedAccount',
      tags: [tag],
      summary: 'Update an account',
      request: { params: idParam, ...bodyOf(patchBody) },
      responses: { 200: json(accountSchema, 'The updated account.'), ...errorResponses },
    }),
    (async (c: Context<AppEnv>) => {
      const services = c.var.services
      const scope = tenantScope(c)
      const row = await accountOr404(services, c.req.param('id') ?? '', scope)
      const connector = services.connectors.get(row.integration)
      if (!connector) throw badRequest('unknown_integration', `integration "${row.integration}" is not available`)
      const body = (c.req as unknown as { valid(t: 'json'): z.infer<typeof patchBody> }).valid('json')
      const tenantId = body.tenant_id === undefined ? undefined : tenantFor(scope, body.tenant_id)
      const { row: updated, warnings } = await updateAccountContext(services, row, connector, { tenantId, context: body.context })
      return c.json(withWarnings(services, toAccountView(updated, connector), warnings), 200)
    }) as never,
  )

  router.openapi(
    createRoute({
      method: 'delete',
      path: '/integrated-account/{id}',
      operationId: 'deleteIntegratedAccount',
      tags: [tag],
      summary: 'Delete an account',
      request: { params: idParam },
      responses: { 200: json(z.object({ id: z.string() }), 'Deleted.'), ...errorResponses },
    }),
    (async (c: Context<AppEnv>) => {
      const id = c.req.param('id') ?? ''
      await accountOr404(c.var.services, id, tenantScope(c))
      await c.var.services.accounts.delete(id)
      await c.var.services.events.emit('integrated_account:deleted', { id })
      return c.json({ id }, 200)
    }) as never,
  )
  return router
}
