/**
 * Unified list and get handlers. They answer with a plain Response: the body is the unified
 * page, the vendor's own (raw), a debug view or an NDJSON stream, as the caller asked.
 */
import type { RouteHandler } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { utf8 } from '../crypto/encoding'
import type { UnifiedResource } from '../models/model-registry'
import { getUnified } from '../unified/get'
import { listUnified, type UnifiedResult } from '../unified/list'
import { parseQueryString } from '../unified/query'
import { tenantScope } from './access-policy'
import { callerGone } from './caller-gone'
import type { AppEnv } from './create-app'
import type * as routes from './unified.routes'

/**
 * The answer with its headers as a plain record, the gateway's rate-limit headers among them: on
 * Node, @hono/node-server writes such a Response's record straight to the socket, where a
 * `Headers` would be built and read back (./limit-headers.ts).
 */
function send(c: Context<AppEnv>, result: UnifiedResult): Response {
  const headers = { ...result.headers }
  c.get('limitHeaders')?.addTo(headers)
  if (result.stream) return new Response(result.stream, { status: result.status, headers })
  headers['content-type'] = 'application/json; charset=utf-8'
  // Encoded once here: a text body is measured (Buffer.byteLength) and encoded again by Node on its
  // way to the socket, as much garbage as the page's text itself (issue 16).
  return new Response(utf8.encode(JSON.stringify(result.json)), { status: result.status, headers })
}

/** The query as the caller sent it (qs semantics), which mappings see as `rawQuery`. */
function rawQuery(c: Context): Record<string, unknown> {
  const url = c.req.url
  const i = url.indexOf('?')
  return parseQueryString(i < 0 ? '' : url.slice(i + 1))
}

export const list =
  (resource: UnifiedResource): RouteHandler<ReturnType<typeof routes.list>, AppEnv> =>
  async (c) =>
    send(
      c,
      await listUnified(c.get('services'), resource, tenantScope(c), { query: c.req.valid('query'), raw: rawQuery(c) }, callerGone(c)),
    )

export const getOne =
  (resource: UnifiedResource): RouteHandler<ReturnType<typeof routes.getOne>, AppEnv> =>
  async (c) =>
    send(
      c,
      await getUnified(
        c.get('services'),
        resource,
        tenantScope(c),
        c.req.valid('param').id,
        { query: c.req.valid('query'), raw: rawQuery(c) },
        callerGone(c),
      ),
    )
