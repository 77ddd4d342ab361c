/**
 * One request header, without a Headers object on Node. Under @hono/node-server, `c.req.header`
 * builds a whole undici Headers from the request's raw headers on its first use, and every
 * request's authentication needs just one of them (issue 16). On Node it is read here from the
 * raw header list with Headers' semantics: names compared without case, a repeated header's
 * values joined by ", " (so two Authorization headers stay one unusable value, as before).
 * Elsewhere (Workers) the request is a native one and asked directly.
 */
import type { IncomingMessage } from 'node:http'
import type { Context } from 'hono'

function nodeRequestOf(env: unknown): IncomingMessage | undefined {
  const incoming = (env as { incoming?: IncomingMessage } | undefined)?.incoming
  return incoming && Array.isArray(incoming.rawHeaders) ? incoming : undefined
}

/** `name` in lower case. */
export function requestHeader(c: Context, name: string): string | undefined {
  const raw = nodeRequestOf(c.env)?.rawHeaders
  if (!raw) return c.req.header(name)
  let value: string | undefined
  for (let i = 0; i < raw.length; i += 2) {
    const key = raw[i]
    if (key.length === name.length && key.toLowerCase() === name) value = value === undefined ? raw[i + 1] : `${value}, ${raw[i + 1]}`
  }
  return value
}
