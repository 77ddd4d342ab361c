/**
 * The connect page's own API: authenticated by the link token in the `x-link-token` header, never
 * by an API token. A header (not a cookie) is what makes it CSRF-safe: another site's page
 * cannot make a browser send it, and without CORS headers it cannot send it by script either.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { fieldSpecSchema } from '../integrations/catalog-schema'
import { errorSchema } from './errors'
import { jsonBody, jsonResponse } from './openapi-helpers'

const tags = ['Connect']
export const LINK_TOKEN_HEADER = 'x-link-token'

const linkTokenHeader = z.object({
  [LINK_TOKEN_HEADER]: z.string().max(200).optional().openapi({ description: 'The link token (from POST /link-token).' }),
})

const connectErrors = {
  400: jsonResponse(errorSchema, 'Invalid input; details.error_type is the SDK’s name for it (validation_error, invalid_integration).'),
  401: jsonResponse(errorSchema, 'The link token is missing, unknown or expired (details.error_type invalid_token).'),
  409: jsonResponse(errorSchema, 'Another submission with this link token is in progress.'),
  410: jsonResponse(errorSchema, 'The link token was already used.'),
  422: jsonResponse(
    errorSchema,
    'The vendor refused the credentials (code credentials_rejected); the message is the vendor’s, secrets removed.',
  ),
  429: jsonResponse(errorSchema, 'Too many requests or failed submissions with this link token.'),
  502: jsonResponse(errorSchema, 'The vendor failed or answered something unreadable (details.error_type connection_error).'),
  503: jsonResponse(errorSchema, 'Unavailable.'),
  504: jsonResponse(errorSchema, 'The vendor did not answer in time.'),
}

const optionSchema = z.object({
  id: z.string(),
  label: z.string(),
  docs_url: z.string().nullable(),
  credentials: z.array(fieldSpecSchema),
  context_fields: z.array(fieldSpecSchema),
})

export const sessionSchema = z
  .object({
    expires_at: z.string(),
    reauth: z.object({ integrated_account_id: z.string(), integration: z.string() }).nullable(),
    message_origin: z
      .string()
      .nullable()
      .openapi({ description: 'The only origin the page posts its result to; null: its opener, whatever it is.' }),
    integrations: z.array(optionSchema),
  })
  .openapi('ConnectSession')

export const resultSchema = z
  .object({ integrated_account_id: z.string(), integration: z.string(), redirect_url: z.string().nullable() })
  .openapi('ConnectResult')

export const session = createRoute({
  method: 'get',
  path: '/connect/session',
  operationId: 'getConnectSession',
  tags,
  summary: 'What the connect page offers for a link token',
  security: [{ linkToken: [] }],
  request: { headers: linkTokenHeader },
  responses: { 200: jsonResponse(sessionSchema, 'The connectors to pick from and their fields.'), ...connectErrors },
})

export const submit = createRoute({
  method: 'post',
  path: '/connect/account',
  operationId: 'submitConnectAccount',
  tags,
  summary: 'Connect (or re-authenticate) an account with a link token',
  description:
    'Validates and verifies the credentials with the vendor exactly as POST /integrated-account does, then creates the account for the link token’s tenant (or replaces the credentials of the account it re-authenticates). The token is spent on success.',
  security: [{ linkToken: [] }],
  request: {
    headers: linkTokenHeader,
    ...jsonBody(
      z.object({
        integration: z.string().min(1).max(100).openapi({ example: 'claude' }),
        context: z.record(z.string(), z.unknown()).openapi({ description: 'The credential and context fields.' }),
      }),
    ),
  },
  responses: { 201: jsonResponse(resultSchema, 'Connected.'), ...connectErrors },
})
