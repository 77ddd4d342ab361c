/**
 * Failed authentication, limited per client address: after `limit` requests in a window whose
 * bearer token was missing, unknown or revoked (the 401s of the token check, not a vendor's), that
 * address is answered 429 — the envelope and headers of the gateway's other limits
 * (./rate-limit.ts) — for the rest of the window, before its token is even looked at. Refusing
 * before the check is what makes it a limit on guessing: a right guess made while blocked is
 * refused too. The price: every client behind the same address (a NAT, a proxy that does not
 * pass the client's address) shares the budget while one of them keeps failing.
 *
 * Addresses: on Node the socket's peer (forwarded-for headers are not trusted, as anyone can send
 * them); on Workers `cf-connecting-ip`, which Cloudflare sets. IPv6 clients are counted per /64,
 * the block one host is usually given, so rotating through it buys no new budget.
 */
import type { Context, MiddlewareHandler } from 'hono'
import type { Settings } from '../config/settings'
import { parseV6 } from '../engine/url-policy'
import type { AppEnv } from './app-env'
import { refusal } from './rate-limit'
import { FixedWindowCounter, type WindowCounter } from './rate-limit-window'

export interface AuthFailureLimitOptions {
  /** Failed authentications allowed per address per window; 0 turns the limit off. */
  limit: number
  windowMs: number
  /** Paths that need no token (never counted, never refused). */
  publicPaths: ReadonlySet<string>
  counter?: WindowCounter
}

export function authFailureLimitOptions(settings: Settings, publicPaths: ReadonlySet<string>): AuthFailureLimitOptions {
  return { limit: settings.UNIMETER_RATE_LIMIT_AUTH_FAILURES, windowMs: settings.UNIMETER_RATE_LIMIT_AUTH_WINDOW_MS, publicPaths }
}

/** The key one client's failures are counted under. */
export function clientAddressKey(address: string | undefined): string {
  if (!address) return 'unknown'
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address)
  if (mapped) return mapped[1]
  const groups = address.includes(':') ? parseV6(address) : undefined
  return groups
    ? `${groups
        .slice(0, 4)
        .map((g) => g.toString(16))
        .join(':')}::/64`
    : address
}

function clientAddress(c: Context<AppEnv>): string | undefined {
  const node = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming
  if (node) return node.socket?.remoteAddress
  return c.req.header('cf-connecting-ip')
}

/** Runs before authentication: it must refuse before the token is checked. */
export function authFailureLimit(options: AuthFailureLimitOptions): MiddlewareHandler<AppEnv> {
  const counter = options.counter ?? new FixedWindowCounter(options.windowMs)
  return async function authFailures(c, next) {
    if (options.limit <= 0 || options.publicPaths.has(c.req.path)) return next()
    const key = `f:${clientAddressKey(clientAddress(c))}`
    const state = counter.peek(key, options.limit)
    if (!state.allowed) throw refusal('address', state, options.windowMs)
    await next()
    // Only the token check's own refusals: a vendor's 401 comes after an identity was set.
    if (c.res.status === 401 && !c.get('identity')) counter.hit(key, options.limit)
  }
}
