/** The API token routes' OpenAPI definitions: create (the token shown once), list, revoke. */
import { createRoute, z } from '@hono/zod-openapi'
import { TOKEN_ROLES } from '../accounts/token-roles'
import { errorResponses } from './errors'
import { conflict, deletedSchema, idParam, jsonBody, jsonResponse } from './openapi-helpers'

const tags = ['API tokens']

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

export const create = createRoute({
  method: 'post',
  path: '/api-token',
  operationId: 'createApiToken',
  tags,
  summary: 'Create an API token',
  description: 'The token is returned in this response only; unimeter stores its SHA-256.',
  request: jsonBody(createBody),
  responses: { 201: jsonResponse(createdSchema, 'Created. Keep `token`: it cannot be shown again.'), ...errorResponses },
})

export const list = createRoute({
  method: 'get',
  path: '/api-token',
  operationId: 'listApiTokens',
  tags,
  summary: 'List API tokens',
  description:
    'Every token, newest first, revoked ones included; never the token itself. Tokens are few, so this is one page (next_cursor is always null).',
  responses: {
    200: jsonResponse(z.object({ result: z.array(tokenSchema), next_cursor: z.null(), limit: z.number() }), 'Every token.'),
    ...errorResponses,
  },
})

export const revoke = createRoute({
  method: 'delete',
  path: '/api-token/{id}',
  operationId: 'revokeApiToken',
  tags,
  summary: 'Revoke an API token',
  description:
    'Requests with the token are refused from now on. Revoking an already revoked token succeeds again. ' +
    'The bootstrap token (UNIMETER_ADMIN_TOKEN) is never revoked here, nor the last admin token when there is no bootstrap token.',
  request: { params: idParam },
  responses: {
    200: jsonResponse(deletedSchema, 'Revoked.'),
    ...errorResponses,
    ...conflict('The last admin token: create another one first.'),
  },
})
