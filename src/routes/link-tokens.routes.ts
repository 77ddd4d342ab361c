/** The link-token route's OpenAPI definition: an app's backend asks for a pass to /connect. */
import { createRoute, z } from '@hono/zod-openapi'
import { DEFAULT_LINK_TOKEN_TTL_S, MAX_LINK_TOKEN_TTL_S } from '../connect/link-token-store'
import { errorResponses } from './errors'
import { jsonBody, jsonResponse } from './openapi-helpers'

const connectorId = z.string().min(1).max(100)

/** Where the page sends the end user afterwards: a web address, never `javascript:` or `data:`. */
const redirectUri = z
  .url({ protocol: /^https?$/, error: 'redirect_uri must be an http or https URL' })
  .max(2000)
  .openapi({ example: 'https://app.example.com/connected' })

export const createLinkTokenBody = z.object({
  tenant_id: z.string().min(1).max(200).optional().openapi({
    description: 'The tenant the connected account belongs to. Required unless the API token is bound to a tenant (then it is that one).',
    example: 'acme',
  }),
  integrations: z
    .array(connectorId)
    .min(1)
    .max(50)
    .optional()
    .openapi({
      description: 'The connectors the end user may pick from (default: every connector).',
      example: ['claude', 'cursor'],
    }),
  redirect_uri: redirectUri.optional().openapi({
    description:
      'After connecting, the page sends the browser here with ?integrated_account_id=… (and integration=…); a popup opened by the SDK posts a message to its opener instead. Its origin is also the only one the page posts messages to.',
  }),
  expires_in: z
    .number()
    .int()
    .min(60)
    .max(MAX_LINK_TOKEN_TTL_S)
    .optional()
    .openapi({ description: `Seconds the link stays valid (default ${DEFAULT_LINK_TOKEN_TTL_S}, at most ${MAX_LINK_TOKEN_TTL_S}).` }),
  integrated_account_id: z.string().min(1).max(200).optional().openapi({
    description:
      'Re-authentication: the page replaces this account’s credentials (typically one in needs_reauth) instead of creating an account.',
  }),
})

export const linkTokenSchema = z
  .object({
    id: z.string(),
    link_token: z.string().openapi({ description: 'Shown only in this response; unimeter stores its SHA-256.', example: 'lt_Q2x…' }),
    url: z.string().openapi({
      description: 'The connect page for this token, on this gateway.',
      example: 'https://gw.example.com/connect?link_token=lt_Q2x…',
    }),
    expires_at: z.string(),
    tenant_id: z.string(),
    integrations: z.array(z.string()).nullable(),
    redirect_uri: z.string().nullable(),
    integrated_account_id: z.string().nullable(),
  })
  .openapi('LinkToken')

export const create = createRoute({
  method: 'post',
  path: '/link-token',
  operationId: 'createLinkToken',
  tags: ['Connect'],
  summary: 'Create a link token for the connect page',
  description:
    'A short-lived (default 30 minutes), single-tenant, single-use pass for an end user’s browser: open `url` (or `/connect-account` with Truto’s link SDK) and the end user connects an account for `tenant_id` without any API token. Needs role write or admin.',
  request: jsonBody(createLinkTokenBody),
  responses: { 201: jsonResponse(linkTokenSchema, 'Created. Hand link_token (or url) to the end user’s browser.'), ...errorResponses },
})
