/**
 * Limitly simulator: the REST API at `https://api.limitly.dev/functions/v1` (a Supabase Edge
 * Functions backend, reference §5), served on loopback with seeded data.
 *
 * Variants (options.variant):
 * - `envelope`: 'sdk' (default) `{success, data, count}` / errors with `success:false`; 'docs' `{data, count}`.
 * - `apiKey`: the owner key to accept instead of the default (see `defaultOwnerKey`).
 * - `rateLimit`: requests per minute per key (default 1000), e.g. raised for load runs.
 * - `keyUsage`: 'docs' (default) or 'sdk' shape of `/keys/{id}/usage`.
 */
import { startSimServer, type StartSimulator } from '../../../src/sandbox/simulator-kit'
import { defaultOwnerKey, LimitlyData } from './data'
import { guarded } from './guard'
import { keyRoutes, parseKeyUsageShape } from './keys'
import { planRoutes } from './plans'
import { FixedWindowLimiter } from './rate-limit'
import { LimitlyShape, parseEnvelope } from './shape'
import { UsageBook } from './usage'
import { userRoutes, type EndpointContext } from './users'
import { validateRoutes } from './validate'

export { defaultOwnerKey, FIRST_USER_ID, LimitlyData } from './data'

const PREFIX = '/functions/v1'
const DEFAULT_USERS = 25
const MAX_USERS = 1_000_000
const DEFAULT_RATE_LIMIT = 1000

function parseRateLimit(value: string | undefined): number {
  if (value === undefined) return DEFAULT_RATE_LIMIT
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new Error(`limitly simulator: rateLimit must be a positive integer, got '${value}'`)
  return n
}

export const startSimulator: StartSimulator = async (options = {}) => {
  const variant = options.variant ?? {}
  const seed = options.seed ?? 42
  const userCount = options.users ?? DEFAULT_USERS
  if (!Number.isInteger(userCount) || userCount < 0 || userCount > MAX_USERS) {
    throw new Error(`limitly simulator: users must be an integer in [0, ${MAX_USERS}], got ${userCount}`)
  }
  const apiKey = variant.apiKey ?? defaultOwnerKey()
  const shape = new LimitlyShape(parseEnvelope(variant.envelope))
  const limiter = new FixedWindowLimiter(parseRateLimit(variant.rateLimit))
  const data = new LimitlyData(seed, userCount)
  const ctx: EndpointContext = { data, shape, usage: new UsageBook(data) }

  const routes = [
    ...userRoutes(ctx, PREFIX),
    ...planRoutes(ctx, PREFIX),
    ...keyRoutes(ctx, PREFIX, parseKeyUsageShape(variant.keyUsage)),
    ...validateRoutes(ctx, PREFIX),
  ].map((route) => ({ ...route, handler: guarded({ apiKey, shape, limiter }, route.handler) }))

  const server = await startSimServer({
    routes,
    // An injected 429 is like a real one: no rate-limit headers, no Retry-After.
    vendor: shape.vendor(),
    host: options.host,
    port: options.port,
    seed,
  })
  return {
    ...server,
    baseUrl: `${server.origin}${PREFIX}`,
    credentials: { api_key: apiKey },
    context: {},
  }
}
