/** The integrated account routes' OpenAPI definitions: create, list, get, update, delete. */
import { createRoute, z } from '@hono/zod-openapi'
import { errorResponses } from './errors'
import { deletedSchema, getOneRoute, idParam, jsonBody, jsonResponse, pageEnvelope, pageQuery } from './openapi-helpers'

const tag = 'Integrated accounts'
const tags = [tag]

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

export const create = createRoute({
  method: 'post',
  path: '/integrated-account',
  operationId: 'createIntegratedAccount',
  tags,
  summary: 'Connect an account',
  request: jsonBody(createBody),
  responses: { 201: jsonResponse(accountSchema, 'Created.'), ...errorResponses },
})

export const list = createRoute({
  method: 'get',
  path: '/integrated-account',
  operationId: 'listIntegratedAccounts',
  tags,
  summary: 'List accounts',
  request: {
    query: z.object({
      integration: z.string().optional(),
      integration_name: z.string().optional().openapi({ description: 'Alias of integration (Truto spelling).' }),
      tenant_id: z.string().optional(),
      environment: z.string().optional(),
      ...pageQuery,
    }),
  },
  responses: { 200: jsonResponse(pageEnvelope(accountSchema), 'A page of accounts.'), ...errorResponses },
})

export const getOne = getOneRoute({
  path: '/integrated-account/{id}',
  operationId: 'getIntegratedAccount',
  tag,
  summary: 'Get an account',
  schema: accountSchema,
  description: 'The account.',
})

export const patch = createRoute({
  method: 'patch',
  path: '/integrated-account/{id}',
  operationId: 'updateIntegratedAccount',
  tags,
  summary: 'Update an account',
  request: { params: idParam, ...jsonBody(patchBody) },
  responses: { 200: jsonResponse(accountSchema, 'The updated account.'), ...errorResponses },
})

export const remove = createRoute({
  method: 'delete',
  path: '/integrated-account/{id}',
  operationId: 'deleteIntegratedAccount',
  tags,
  summary: 'Delete an account',
  request: { params: idParam },
  responses: { 200: jsonResponse(deletedSchema, 'Deleted.'), ...errorResponses },
})
