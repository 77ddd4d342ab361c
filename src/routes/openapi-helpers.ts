/** Small pieces every OpenAPI route file repeats: JSON bodies and responses, an id parameter, list pages. */
import { createRoute, z } from '@hono/zod-openapi'
import { badRequest } from '../lib/http-errors'
import type { GatewayServices } from '../services'
import { errorResponses, errorSchema } from './errors'

export const idParam = z.object({ id: z.string().min(1).max(200) })

export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
})

export const jsonBody = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } })

/** What a DELETE answers: the id of what is gone. */
export const deletedSchema = z.object({ id: z.string() })

/** Page through a list with the signed cursor codec: `after` is whatever the route keys on. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(500).optional().openapi({ description: 'Items per page, 1–500 (default 100).' }),
  next_cursor: z.string().max(2000).optional().openapi({ description: 'The next_cursor of the previous page.' }),
}

export const pageEnvelope = <T extends z.ZodType>(item: T) =>
  z.object({ result: z.array(item), next_cursor: z.string().nullable(), limit: z.number().int() })

/** A documented 409 (the contract's error envelope), for a conflict that a retry may resolve. */
export const conflict = (description: string) => ({ 409: jsonResponse(errorSchema, description) })

/**
 * A documented 422, for a conflict no retry resolves (the request or other state must change).
 * Not 409: Truto's SDK re-sends every 409 (its retry list is [408, 409, 425, 429, 502, 503, 504],
 * whatever the headers), so a permanent refusal must use a status outside that list.
 */
export const permanentConflict = (description: string) => ({ 422: jsonResponse(errorSchema, description) })

/**
 * One page of a keyset-paginated list (`query` as pageQuery validated it; 100 items by
 * default): the signed cursor carries the last row's key (`keys` name its string fields),
 * `read` fetches rows strictly after it, one more than the page to know whether another
 * page follows.
 */
export async function keysetPage<Row>(
  services: GatewayServices,
  options: { list: string; query: { limit?: number; next_cursor?: string }; keys: string[] },
  read: (after: Record<string, string> | undefined, take: number) => Promise<Row[]>,
  keyOf: (row: Row) => Record<string, string>,
): Promise<{ page: Row[]; next: string | null; limit: number }> {
  const binding = { accountId: '*', resource: options.list }
  const { limit = 100, next_cursor: cursor } = options.query
  let after: Record<string, string> | undefined
  if (cursor) {
    const state = await services.cursors.decode(binding, cursor)
    if (!options.keys.every((k) => typeof state[k] === 'string'))
      throw badRequest('invalid_cursor', 'next_cursor is malformed; omit it to start at the first page')
    after = Object.fromEntries(options.keys.map((k) => [k, state[k] as string]))
  }
  const rows = await read(after, limit + 1)
  const page = rows.slice(0, limit)
  const next = rows.length > limit ? await services.cursors.encode(binding, keyOf(page[page.length - 1])) : null
  return { page, next, limit }
}

/** `GET <path>` with an `{id}`: the item's view. */
export function getOneRoute<P extends string, T extends z.ZodType>(spec: {
  path: P
  operationId: string
  tag: string
  summary: string
  schema: T
  description: string
}) {
  return createRoute({
    method: 'get',
    path: spec.path,
    operationId: spec.operationId,
    tags: [spec.tag],
    summary: spec.summary,
    request: { params: idParam },
    responses: { 200: jsonResponse(spec.schema, spec.description), ...errorResponses },
  })
}
