/**
 * The gateway's per-token and per-account rate limits on Workers, counted globally: one Durable
 * Object per key (./rate-limit-object.ts), one round-trip to it per key counted.
 *
 * Why not Cloudflare's Rate Limiting binding (https://developers.cloudflare.com/workers/runtime-apis/bindings/rate-limit/):
 * its counts are kept per Cloudflare location and are approximate, its period can only be 10 or
 * 60 s and its limit is fixed in wrangler.toml, and it answers only `success`, with nothing to
 * fill `ratelimit-remaining` / `ratelimit-reset` or Retry-After. The Durable Object gives the
 * exact, global count Node has, with the same headers and the settings that size it on Node.
 *
 * When the object cannot be reached (an error, no answer in OBJECT_TIMEOUT_MS, the binding
 * missing) the request is counted in this isolate's memory instead, as before Durable Objects:
 * fail-open, because these limits share load fairly rather than guard access (the token is
 * already verified), and failing closed would turn a Durable Objects incident into a gateway
 * outage. Each isolate logs it at most once per window.
 */
import type { Logger } from '../../lib/logger'
import { memoryRateLimitStore, type RateLimitStore, type RateLimitStoreFactory } from '../../routes/rate-limit-store'
import type { WindowHit } from '../../routes/rate-limit-window'
import { windowHitSchema } from './rate-limit-object'
import type { DurableObjectNamespaceBinding } from './worker-env'

/** An object answers in milliseconds; one silent this long is treated as unreachable. */
export const OBJECT_TIMEOUT_MS = 5_000

async function askObject(
  namespace: DurableObjectNamespaceBinding,
  key: string,
  limit: number,
  windowMs: number,
  timeoutMs: number,
): Promise<WindowHit> {
  const stub = namespace.get(namespace.idFromName(key))
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)
  })
  try {
    // The host is never resolved: a stub's fetch goes to the object whatever the URL.
    const res = await Promise.race([
      stub.fetch('https://rate-limit.internal/hit', { method: 'POST', body: JSON.stringify({ limit, windowMs }) }),
      timeout,
    ])
    if (!res.ok) throw new Error(`the object answered ${res.status}: ${(await res.text()).slice(0, 200)}`)
    return windowHitSchema.parse(await res.json())
  } finally {
    clearTimeout(timer)
  }
}

export function durableRateLimitStore(
  namespace: DurableObjectNamespaceBinding | undefined,
  timeoutMs = OBJECT_TIMEOUT_MS,
): RateLimitStoreFactory {
  return (windowMs: number, logger: Logger): RateLimitStore => {
    const local = memoryRateLimitStore(windowMs)
    if (!namespace) {
      logger.warn('no RATE_LIMITER Durable Object binding: rate limits are counted per isolate (see wrangler.toml)')
      return local
    }
    let warnedAt = Number.NEGATIVE_INFINITY
    return {
      async hit(key, limit) {
        try {
          return await askObject(namespace, key, limit, windowMs, timeoutMs)
        } catch (err) {
          const now = Date.now()
          if (now - warnedAt >= windowMs) {
            warnedAt = now
            logger.warn('rate-limit Durable Object unreachable: counting in this isolate meanwhile', { error: (err as Error).message })
          }
          return local.hit(key, limit)
        }
      },
    }
  }
}
