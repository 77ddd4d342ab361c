/**
 * The unified API routes, generated for every registered (model, resource): list and get, with
 * their OpenAPI documentation derived from the resource's zod schema.
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { ConnectorRegistry } from '../../connectors/registry'
import type { UnifiedResource } from '../models/model-registry'
import { getUnified } from '../unified/get'
import { listUnified, type UnifiedResult } from '../unified/list'
import { listParamsOf } from '../unified/list-params'
import { tenantIdParam, unifiedGetQuerySchema, unifiedListQuerySchema } from '../unified/query'
import { tenantScope } from './access-policy'
import { createRouter, type AppEnv } from './create-app'
import { errorResponses } from './errors'

function send(c: Context<AppEnv>, result: UnifiedResult): Response {
  const headers = new Headers(result.headers)
  if (result.stream) return new Response(result.stream, { status: result.status, headers })
  headers.set('content-type', 'application/json; charset=utf-8')
  return new Response(JSON.stringify(result.json), { status: result.status, headers })
}

function searchOf(c: Context): string {
  const url = c.req.url
  const i = url.indexOf('?')
  return i < 0 ? '' : url.slice(i + 1)
}

/**
 * Stable, readable names for generated clients: listUnifiedUsageMeteringUsers,
 * getUnifiedUsageMeteringUsersById. The model is part of the name so a later model with a
 * resource of the same name cannot rename an existing operation.
 */
export function unifiedOperationId(verb: 'list' | 'get', resource: UnifiedResource): string {
  const pascal = (s: string) => s.replace(/(^|[-_\s]+)([a-z0-9])/gi, (_m, _sep, ch: string) => ch.toUpperCase())
  return `${verb}Unified${pascal(resource.model)}${pascal(resource.resource)}${verb === 'get' ? 'ById' : ''}`
}

/** Aggregates may read a whole tenant: then integrated_account_id gives way to tenant_id. */
const acrossTenantParams = {
  integrated_account_id: z.string().min(1).max(200).optional().openapi({
    description: 'The integrated account to read from. Required, except for a super-query that names tenant_id instead.',
    example: '0b6c2d8e-5f1a-4c34-9a57-1f1f4f7d3a10',
  }),
  tenant_id: tenantIdParam.optional(),
}

export function unifiedRoutes(resources: UnifiedResource[], connectors: ConnectorRegistry) {
  const router = createRouter()
  for (const resource of resources) {
    const tag = `Unified: ${resource.model}`
    const base = `/unified/${resource.model}/${resource.resource}`
    const envelopeOf = (row: z.ZodObject) =>
      z.object({
        result: z.array(row),
        next_cursor: z.string().nullable(),
        prev_cursor: z.string().nullable(),
        result_count: z.number().int(),
        is_partial_response: z.boolean().optional(),
      })
    // A resource with aggregates also answers super-query group_by / tenant_id with its rows.
    const listEnvelope = resource.aggregates
      ? z.union([envelopeOf(resource.schema), envelopeOf(resource.aggregates)])
      : envelopeOf(resource.schema)
    const listQuery = unifiedListQuerySchema.extend(listParamsOf(resource, connectors).shape)
    const list = createRoute({
      method: 'get',
      path: base,
      operationId: unifiedOperationId('list', resource),
      tags: [tag],
      summary: `List ${resource.resource}`,
      description: `${resource.description} One page per call; follow next_cursor to the end, or use truto_response_format=stream for every record as NDJSON.`,
      request: { query: resource.aggregates ? listQuery.extend(acrossTenantParams) : listQuery },
      responses: {
        200: {
          description: 'A page of records (or NDJSON with truto_response_format=stream).',
          content: { 'application/json': { schema: listEnvelope }, 'application/x-ndjson': { schema: z.string() } },
        },
        ...errorResponses,
      },
    })
    const get = createRoute({
      method: 'get',
      path: `${base}/{id}`,
      operationId: unifiedOperationId('get', resource),
      tags: [tag],
      summary: `Get one of ${resource.resource}`,
      request: { params: z.object({ id: z.string().min(1).openapi({ example: '23423523' }) }), query: unifiedGetQuerySchema },
      responses: {
        200: { description: 'The record itself (no envelope).', content: { 'application/json': { schema: resource.schema } } },
        ...errorResponses,
      },
    })
    router.openapi(list, (async (c: Context<AppEnv>) =>
      send(c, await listUnified(c.var.services, resource, tenantScope(c), searchOf(c), c.req.raw.signal))) as never)
    if (!resource.methods.includes('get')) continue
    router.openapi(get, (async (c: Context<AppEnv>) =>
      send(c, await getUnified(c.var.services, resource, tenantScope(c), c.req.param('id') ?? '', searchOf(c), c.req.raw.signal))) as never)
  }
  return router
}
