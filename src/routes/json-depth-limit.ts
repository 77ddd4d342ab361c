/**
 * Refuses JSON request bodies nested deeper than a limit, before anything parses them. A 1 MB
 * body of `[[[[…` is valid JSON a million levels deep: recursive code further on (validation,
 * sanitizing, JSONata) would blow the stack on it, so it is stopped here with a 400.
 */
import type { MiddlewareHandler } from 'hono'
import { badRequest } from '../lib/http-errors'
import type { AppEnv } from './app-env'

export const MAX_JSON_DEPTH = 32

/**
 * Nesting depth of a JSON text (objects and arrays), counted without parsing; stops counting
 * as soon as `stopAbove` is exceeded. Brackets inside strings do not count.
 */
export function jsonNestingDepth(text: string, stopAbove = Infinity): number {
  let depth = 0
  let max = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    if (inString) {
      if (ch === 0x5c /* \ */) i++
      else if (ch === 0x22 /* " */) inString = false
      continue
    }
    if (ch === 0x22) inString = true
    else if (ch === 0x7b /* { */ || ch === 0x5b /* [ */) {
      if (++depth > max) max = depth
      if (max > stopAbove) return max
    } else if (ch === 0x7d /* } */ || ch === 0x5d /* ] */) depth--
  }
  return max
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export function jsonDepthLimit(maxDepth = MAX_JSON_DEPTH): MiddlewareHandler<AppEnv> {
  const checked: MiddlewareHandler<AppEnv> = async (c, next) => {
    // Hono caches the text, so the route's own JSON parsing reads the same body again for free.
    const text = await c.req.text()
    if (jsonNestingDepth(text, maxDepth) > maxDepth) {
      throw badRequest(
        'body_too_deep',
        `The request body is nested more than ${maxDepth} levels deep; flatten it (objects and arrays count as levels)`,
      )
    }
    return next()
  }
  // A request without a JSON body (every GET) passes on with no promise layer of its own (issue 16).
  return function jsonDepth(c, next) {
    if (!BODY_METHODS.has(c.req.method) || !/json/i.test(c.req.header('content-type') ?? '')) return next()
    return checked(c, next)
  }
}
