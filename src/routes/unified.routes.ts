/**
 * The unified API's OpenAPI definitions, one list and one get per registered (model, resource),
 * documented from the resource's zod schema.
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { UnifiedResource } from '../models/model-registry'
import { tenantIdParam, unifiedGetQuerySchema, unifiedListQuerySchema, unifiedQuery } from '../unified/query'
import { errorResponses } from './errors'

/**
 * Stable, readable names for generated clients: listUnifiedUsageMeteringUsers,
 * getUnifiedUsageMeteringUsersById. The model is part of the name so a later model with a
 * resource of the same name cannot rename an existing operation.
 */
export function unifiedOperationId(verb: 'list' | 'get', resource: UnifiedResource): string {
  const pascal = (s: string) => s.replace(/(^|[-_\s]+)([a-z0-9])/gi, (_m, _sep, ch: string) => ch.toUpperCase())
  return `${verb}Unified${pascal(resource.model)}${pascal(resource.resource)}${verb === 'get' ? 'ById' : ''}`
}

/**
 * NDJSON, typed as a plain string key on purpose: @hono/zod-openapi types a response by its media
 * type, and takes any `application/…json…` one for JSON it must build with c.json(), so a literal
 * 'application/x-ndjson' would forbid the streamed Response these routes answer with. A media
 * type it does not recognise allows a Response: the bodies here (unified, raw, debug or a stream)
 * are more than the documented envelope, and a Response is what the handlers build.
 */
const NDJSON: string = 'application/x-ndjson'

const pathOf = (resource: UnifiedResource) => `/unified/${resource.model}/${resource.resource}`
const tagOf = (resource: UnifiedResource) => `Unified: ${resource.model}`

/** `params`: the resource's list parameters with those its connectors declare (see list-params.ts). */
/** Aggregates may read a whole tenant: then integrated_account_id gives way to tenant_id. */
const acrossTenantParams = {
  integrated_account_id: z.string().min(1).max(200).optional().openapi({
    description: 'The integrated account to read from. Required, except for a super-query that names tenant_id instead.',
    example: '0b6c2d8e-5f1a-4c34-9a57-1f1f4f7d3a10',
  }),
  tenant_id: tenantIdParam.optional(),
}

export function list(resource: UnifiedResource, params: z.ZodObject) {
  const envelopeOf = (row: z.ZodObject) =>
    z.object({
      result: z.array(row),
      next_cursor: z.string().nullable(),
      prev_cursor: z.string().nullable(),
      result_count: z.number().int(),
      is_partial_response: z.boolean().optional(),
    })
  // A resource with aggregates also answers super-query group_by / tenant_id with its rows.
  const envelope = resource.aggregates
    ? z.union([envelopeOf(resource.schema), envelopeOf(resource.aggregates)])
    : envelopeOf(resource.schema)
  return createRoute({
    method: 'get',
    path: pathOf(resource),
    operationId: unifiedOperationId('list', resource),
    tags: [tagOf(resource)],
    summary: `List ${resource.resource}`,
    description: `${resource.description} One page per call; follow next_cursor to the end, or use truto_response_format=stream for every record as NDJSON.`,
    // Spread rather than .extend(): the contract's fields keep their types beside the resource's untyped ones.
    request: {
      query: unifiedQuery(
        z.object({ ...unifiedListQuerySchema.shape, ...(resource.aggregates ? acrossTenantParams : {}), ...params.shape }).loose(),
      ),
    },
    responses: {
      200: {
        description: 'A page of records (or NDJSON with truto_response_format=stream).',
        content: { 'application/json': { schema: envelope }, [NDJSON]: { schema: z.string() } },
      },
      ...errorResponses,
    },
  })
}

export function getOne(resource: UnifiedResource) {
  return createRoute({
    method: 'get',
    path: `${pathOf(resource)}/{id}`,
    operationId: unifiedOperationId('get', resource),
    tags: [tagOf(resource)],
    summary: `Get one of ${resource.resource}`,
    request: {
      params: z.object({ id: z.string().min(1).openapi({ example: '23423523' }) }),
      query: unifiedQuery(unifiedGetQuerySchema),
    },
    responses: {
      200: {
        description: 'The record itself (no envelope; one NDJSON line with truto_response_format=stream).',
        content: { 'application/json': { schema: resource.schema }, [NDJSON]: { schema: z.string() } },
      },
      ...errorResponses,
    },
  })
}
