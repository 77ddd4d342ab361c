/**
 * API tokens: create (the token is in the response once, never again), list (without secrets),
 * revoke (refused from the next request on, because verification reads the revocation). Only
 * admin tokens bound to no tenant reach these routes (access-policy.ts).
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { storedRole, TOKEN_ROLES } from '../accounts/token-roles'
import type { ApiTokenRow } from '../db/schema'
import { ApiError } from '../lib/http-errors'
import { createRouter, type AppEnv } from './create-app'
import { errorResponses, errorSchema } from './errors'

const tag = 'API tokens'

const tokenSchema = z
  .object({
    id: z.string(),
    name: z.string().openapi({ example: 'ci' }),
    prefix: z.string().openapi({ description: 'First characters of the token, to tell tokens apart.', example: 'um_Xk3v9a' }),
    created_at: z.string(),
    last_used_at: z.string().nullable().openapi({ description: 'Last successful authentication (updated at most once a minute).' }),
    revoked_at: z.string().nullable(),
    role: z.enum(TOKEN_ROLES).openapi({
      description: 'admin: everything. write: everything except managing API tokens. read: GET requests only, never /api-token.',
    }),
    tenant_id: z.string().nullable().openapi({
      description: 'The one tenant the token sees (its integrated accounts, their users, sync jobs and runs); null: every tenant.',
    }),
  })
  .openapi('ApiToken')

const createdSchema = tokenSchema
  .extend({ token: z.string().openapi({ description: 'The token itself. Shown only in this response.' }) })
  .openapi('ApiTokenCreated')

const createBody = z.object({
  name: z.string().trim().min(1).max(100).openapi({ description: 'What the token is for.', example: 'ci' }),
  role: z.enum(TOKEN_ROLES).optional().openapi({ description: 'What the token may do (default admin).', example: 'read' }),
  tenant_id: z.string().min(1).max(200).nullable().optional().openapi({
    description:
      'Bind the token to this tenant: it sees and changes only integrated accounts with this tenant_id, and cannot manage webhooks or tokens.',
    example: 'acme',
  }),
})

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description })

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

export function apiTokenRoutes() {
  const router = createRouter()

  router.openapi(
    createRoute({
      method: 'post',
      path: '/api-token',
      operationId: 'createApiToken',
      tags: [tag],
      summary: 'Create an API token',
      description: 'The token is returned in this response only; unimeter stores its SHA-256.',
      request: { body: { required: true, content: { 'application/json': { schema: createBody } } } },
      responses: { 201: json(createdSchema, 'Created. Keep `token`: it cannot be shown again.'), ...errorResponses },
    }),
    (async (c: Context<AppEnv>) => {
      const body = (c.req as unknown as { valid(t: 'json'): z.infer<typeof createBody> }).valid('json')
      const { token, row } = await c.var.services.tokens.create(body.name, { role: body.role, tenantId: body.tenant_id })
      return c.json({ ...toTokenView(row), token }, 201)
    }) as never,
  )

  router.openapi(
    createRoute({
      method: 'get',
      path: '/api-token',
      operationId: 'listApiTokens',
      tags: [tag],
      summary: 'List API tokens',
      description:
        'Every token, newest first, revoked ones included; never the token itself. Tokens are few, so this is one page (next_cursor is always null).',
      responses: {
        200: json(z.object({ result: z.array(tokenSchema), next_cursor: z.null(), limit: z.number() }), 'Every token.'),
        ...errorResponses,
      },
    }),
    (async (c: Context<AppEnv>) => {
      const rows = await c.var.services.tokens.list()
      return c.json({ result: rows.map(toTokenView), next_cursor: null, limit: rows.length }, 200)
    }) as never,
  )

  router.openapi(
    createRoute({
      method: 'delete',
      path: '/api-token/{id}',
      operationId: 'revokeApiToken',
      tags: [tag],
      summary: 'Revoke an API token',
      description:
        'Requests with the token are refused from now on. Revoking an already revoked token succeeds again. ' +
        'The bootstrap token (UNIMETER_ADMIN_TOKEN) is never revoked here, nor the last admin token when there is no bootstrap token.',
      request: { params: z.object({ id: z.string().min(1).max(200) }) },
      responses: {
        200: json(z.object({ id: z.string() }), 'Revoked.'),
        ...errorResponses,
        409: json(errorSchema, 'The last admin token: create another one first.'),
      },
    }),
    (async (c: Context<AppEnv>) => {
      const id = c.req.param('id') ?? ''
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
    }) as never,
  )
  return router
}
