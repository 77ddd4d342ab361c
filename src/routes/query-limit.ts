/**
 * A bound on the number of query parameters, on every route and before anything parses them
 * (Hono's c.req.query and the unified routes' qs both would). The unified parser keeps the same
 * bound as its own second guard (src/unified/query.ts).
 */
import type { MiddlewareHandler } from 'hono'
import { badRequest } from '../lib/http-errors'

export const MAX_QUERY_PARAMETERS = 500

/** `a=1&b&&c=` has three parameters: empty pieces between separators are not parameters. */
export function countQueryParameters(url: string): number {
  const start = url.indexOf('?')
  if (start === -1) return 0
  const end = url.indexOf('#', start)
  const query = url.slice(start + 1, end === -1 ? undefined : end)
  let count = 0
  let pieceStart = 0
  for (let i = 0; i <= query.length; i++) {
    if (i === query.length || query.charCodeAt(i) === 38 /* & */) {
      if (i > pieceStart) count++
      pieceStart = i + 1
    }
  }
  return count
}

export function queryParameterLimit(max = MAX_QUERY_PARAMETERS): MiddlewareHandler {
  return function queryLimit(c, next) {
    const count = countQueryParameters(c.req.url)
    if (count > max) {
      throw badRequest(
        'invalid_query',
        `The query string has ${count} parameters; at most ${max} are accepted. Send fewer, or use list values (a=x,y) where the endpoint takes them.`,
      )
    }
    return next()
  }
}
