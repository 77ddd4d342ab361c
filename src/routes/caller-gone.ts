/**
 * How a unified handler learns that its client went away, so the vendor calls made for it stop.
 * On Node, @hono/node-server hands the handler `{ incoming, outgoing }` as its env: the response's
 * `close` before it finished is the client leaving. Reading `c.req.raw.signal` there instead
 * would build a whole undici Request (and an AbortController) for every request. Elsewhere
 * (Workers) the request is a native one and its own signal says it.
 */
import type { ServerResponse } from 'node:http'
import type { Context } from 'hono'
import { goneWhenAborted, type CallerGone } from '../unified/target'

function nodeResponseOf(env: unknown): ServerResponse | undefined {
  const outgoing = (env as { outgoing?: ServerResponse } | undefined)?.outgoing
  return outgoing && typeof outgoing.once === 'function' && 'writableFinished' in outgoing ? outgoing : undefined
}

export function callerGone(c: Context): CallerGone {
  const outgoing = nodeResponseOf(c.env)
  if (!outgoing) return goneWhenAborted(c.req.raw.signal)
  return (onGone) => {
    if (outgoing.destroyed) {
      if (!outgoing.writableFinished) onGone()
      return
    }
    outgoing.once('close', () => {
      if (!outgoing.writableFinished) onGone()
    })
  }
}
