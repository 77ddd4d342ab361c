/**
 * The unified endpoints' query string: parsed with `qs` semantics (brackets, indices, repeated
 * keys), validated by zod once, by the route (the contract's special error for a missing
 * integrated_account_id comes from the app's validation hook).
 */
import qs from 'qs'
import { z } from '@hono/zod-openapi'
import { ApiError, badRequest } from '../lib/http-errors'
import { MAX_QUERY_PARAMETERS } from '../routes/query-limit'

export const RESPONSE_FORMATS = ['unified', 'raw', 'normalized', 'stream', 'debug'] as const
export type ResponseFormat = (typeof RESPONSE_FORMATS)[number]

/** Largest `limit` a caller may ask for; the gateway fetches as many vendor pages as that needs. */
export const MAX_LIMIT = 1000
export const DEFAULT_LIMIT = 100

const boolish = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', ''])])
  .transform((v) => v === true || v === 'true' || v === '1' || v === '')

const fieldList = z
  .union([z.string().max(2000), z.array(z.string().max(200)).max(100)])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))

const common = {
  integrated_account_id: z
    .string()
    .min(1)
    .max(200)
    .openapi({ description: 'The integrated account to read from.', example: '0b6c2d8e-5f1a-4c34-9a57-1f1f4f7d3a10' }),
  truto_response_format: z
    .enum(RESPONSE_FORMATS)
    .optional()
    .openapi({ description: 'unified (default) | raw | normalized | stream (NDJSON) | debug' }),
  truto_ignore_remote_data: boolish.optional().openapi({ type: 'boolean', description: 'Leave remote_data out of each record.' }),
  truto_exclude_fields: fieldList.optional().openapi({
    type: 'array',
    items: { type: 'string' },
    description: 'Fields to leave out: truto_exclude_fields[]=a, repeated, indexed or a,b.',
  }),
  remote_query: z
    .record(z.string(), z.unknown())
    .optional()
    .openapi({ type: 'object', description: 'Passed to the vendor as-is (remote_query[foo]=bar); wins over mapped parameters.' }),
}

export const unifiedGetQuerySchema = z.object(common).loose()

export const unifiedListQuerySchema = z
  .object({
    ...common,
    limit: z.coerce
      .number({ message: 'limit must be a number' })
      .int('limit must be a whole number')
      .min(1, 'limit must be at least 1')
      .max(MAX_LIMIT, `limit must be at most ${MAX_LIMIT}`)
      .optional()
      .openapi({ type: 'integer', description: `Records per page, 1–${MAX_LIMIT} (default ${DEFAULT_LIMIT}).` }),
    next_cursor: z.string().max(8192).optional().openapi({ description: 'The next_cursor of the previous page.' }),
    cursor: z.string().max(8192).optional().openapi({ description: 'Alias of next_cursor.' }),
    truto_key_by: z.string().min(1).max(100).optional().openapi({
      description:
        'Return result as an object keyed by this field (dotted paths reach nested fields). Records sharing a key keep the last one; x-unimeter-key-by-collisions says how many were replaced.',
    }),
    truto_ignore_limit: boolish.optional().openapi({ type: 'boolean', description: 'Return whole vendor pages, whatever limit says.' }),
    truto_super_query: z
      .string()
      .max(50)
      .optional()
      .openapi({ description: 'Read the local synced copy instead of the vendor (any value).' }),
  })
  .loose()

export type UnifiedListQuery = z.infer<typeof unifiedListQuerySchema>

/**
 * `tenant_id` instead of integrated_account_id: a super-query across every account of a tenant
 * (aggregates only, see src/sync/super-query/aggregate-handler.ts).
 */
export const tenantIdParam = z.string().min(1).max(200).openapi({
  description:
    'With truto_super_query, instead of integrated_account_id: aggregate the local copies of every integrated account of this tenant (usage only; people joined by e-mail).',
  example: 'acme',
})

/** A list query as the super-query reads it, whichever copy it names. */
export const copyListQuerySchema = unifiedListQuerySchema.omit({ integrated_account_id: true })
export type CopyListQuery = z.infer<typeof copyListQuerySchema>

export const tenantListQuerySchema = copyListQuerySchema.extend({ tenant_id: tenantIdParam })

/** A list query as its route validated it: a resource with aggregates may name a tenant instead of an account. */
export type RoutedListQuery = CopyListQuery & { integrated_account_id?: string; tenant_id?: unknown }

/** Whether a list names a tenant; naming it and an account, or it without a super-query, is a 400. */
export function namesTenant(raw: Record<string, unknown>): boolean {
  if (raw.tenant_id === undefined) return false
  if (raw.truto_super_query === undefined)
    throw badRequest('invalid_request', 'tenant_id reads the local copies of a tenant’s accounts: add truto_super_query=1')
  if (raw.integrated_account_id !== undefined)
    throw badRequest('invalid_request', 'pass integrated_account_id (one account) or tenant_id (every account of a tenant), not both')
  return true
}
export type UnifiedGetQuery = z.infer<typeof unifiedGetQuerySchema>

/**
 * A route's validator hands zod Hono's flat view of the query (repeated keys as arrays, brackets
 * left in the names), but the contract reads it the `qs` way (remote_query[foo]=bar,
 * truto_exclude_fields[]=a): written back as a query string and parsed like that, the one
 * validation sees what the handler passes on as the raw query.
 */
function qsShaped(flat: unknown): Record<string, unknown> {
  const pairs: string[] = []
  for (const [key, value] of Object.entries(flat as Record<string, string | string[]>)) {
    for (const v of Array.isArray(value) ? value : [value]) pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(v)}`)
  }
  return parseQueryString(pairs.join('&'))
}

/** The route's query schema: `schema` applied to the query read with `qs` semantics; documented as `schema`. */
export function unifiedQuery<S extends z.ZodObject>(schema: S) {
  return z.transform(qsShaped).pipe(schema)
}

/** Keys of the contract itself; everything else is a resource parameter for the mappings. */
export const CONTRACT_KEYS = new Set([
  'integrated_account_id',
  'truto_response_format',
  'truto_ignore_remote_data',
  'truto_exclude_fields',
  'remote_query',
  'limit',
  'next_cursor',
  'cursor',
  'truto_key_by',
  'truto_ignore_limit',
  'truto_super_query',
  'truto_skip_api_call',
  'tenant_id',
])

/**
 * A query of `key=value` pairs written in unreserved characters alone, no key twice: qs makes of
 * it what splitting it does (nothing to decode, no brackets, no arrays), about 4× faster, and
 * every unified request parses its query twice (the route's validation, then the raw query for
 * the mappings). Anything else goes to qs; test/core/plain-query.property.test.ts compares both.
 */
const PLAIN_QUERY = /^[\w.~-]+=[\w.~-]*(?:&[\w.~-]+=[\w.~-]*)*$/

function plainQuery(search: string): Record<string, unknown> | undefined {
  if (!PLAIN_QUERY.test(search)) return undefined
  const parts = search.split('&')
  if (parts.length > MAX_QUERY_PARAMETERS) return undefined
  const out: Record<string, unknown> = Object.create(null)
  for (const part of parts) {
    const eq = part.indexOf('=')
    const key = part.slice(0, eq)
    if (key in out || key === '__proto__') return undefined
    out[key] = part.slice(eq + 1)
  }
  return out
}

export function parseQueryString(search: string): Record<string, unknown> {
  return plainQuery(search.charCodeAt(0) === 63 /* ? */ ? search.slice(1) : search) ?? parseWithQs(search)
}

/** The query read by qs itself, as every query was before plainQuery. */
export function parseWithQs(search: string): Record<string, unknown> {
  try {
    return qs.parse(search, {
      ignoreQueryPrefix: true,
      depth: 5,
      strictDepth: true,
      arrayLimit: 100,
      parameterLimit: MAX_QUERY_PARAMETERS,
      throwOnLimitExceeded: true,
      allowPrototypes: false,
      plainObjects: true,
    }) as Record<string, unknown>
  } catch (err) {
    throw badRequest('invalid_query', `The query string could not be read: ${(err as Error).message}`)
  }
}

export function missingAccountIdError(): ApiError {
  return new ApiError(
    400,
    'missing_required_query_parameters',
    'integrated_account_id is required: pass ?integrated_account_id=<id of the integrated account to read>',
    {
      insight: {
        missing_required_query_parameters: {
          description: 'These query parameters are required for this request.',
          value: ['integrated_account_id'],
        },
      },
    },
  )
}

export function validationError(error: z.ZodError, what = 'query'): ApiError {
  const failures = error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
  const message = failures.map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)).join('; ')
  return badRequest('invalid_request', `Invalid ${what}: ${message}`, { details: { failures } })
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what = 'query'): z.infer<S> {
  const parsed = schema.safeParse(value)
  if (!parsed.success) throw validationError(parsed.error, what)
  return parsed.data
}

/** Resource parameters (everything that is not the contract's own), for the query mappings. */
export function resourceParams(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(raw)) if (!CONTRACT_KEYS.has(k) && k !== '__proto__') out[k] = v
  return out
}
