/**
 * API tokens: create (the token is in the response once, never again), list (without secrets),
 * revoke (refused from the next request on, because verification reads the revocation).
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { ApiTokenRow } from '../db/schema'
import { ApiError } from '../lib/http-errors'
import { createRouter, type AppEnv } from './create-app'
import { errorResponses } from './errors'

const tag = 'API tokens'

const tokenSchema = z
  .object({
    id: z.string(),
    name: z.string().openapi({ example: 'ci' }),
    prefix: z.string().openapi({ description: 'First characters of the token, to tell tokens apart.', example: 'um_Xk3v9a' }),
    created_at: z.string(),
    last_used_at: z.string().nullable().openapi({ description: 'Last successful authentication (updated at most once a minute).' }),
    revoked_at: z.string().nullable(),
  })
  .openapi('ApiToken')

const createdSchema = tokenSchema.extend({ token: z.string().openapi({ description: 'The token itself. Shown only in this response.' }) }).openapi('ApiTokenCreated')

const createBody = z.object({
  name: z.string().trim().min(1).max(100).openapi({ description: 'What the token is for.', example: 'ci' }),
})

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description })

export function toTokenView(row: ApiTokenRow) {
  return { id: row.id, name: row.name, prefix: row.prefix, created_at: row.createdAt, last_used_at: row.lastUsedAt, revoked_at: row.revokedAt }
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
      const { token, row } = await c.var.services.tokens.create(body.name)
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
      description: 'Every token, newest first, revoked ones included; never the token itself. Tokens are few, so this is one page (next_cursor is always null).',
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
      description: 'Requests with the token are refused from now on. Revoking an already revoked token succeeds again.',
      request: { params: z.object({ id: z.string().min(1).max(200) }) },
      responses: { 200: json(z.object({ id: z.string() }), 'Revoked.'), ...errorResponses },
    }),
    (async (c: Context<AppEnv>) => {
      const id = c.req.param('id') ?? ''
      const tokens = c.var.services.tokens
      if (id === 'bootstrap') {
        throw new ApiError(400, 'bootstrap_token', 'The bootstrap token comes from UNIMETER_ADMIN_TOKEN: unset that variable and restart to retire it')
      }
      if (!(await tokens.revoke(id)) && !(await tokens.get(id))) {
        throw new ApiError(404, 'api_token_not_found', `No API token with id ${id}`)
      }
      return c.json({ id }, 200)
    }) as never,
  )
  return router
}
