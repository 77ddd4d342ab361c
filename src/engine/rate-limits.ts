/**
 * Vendor rate-limit information in the contract's normalized form (`ratelimit-limit`,
 * `ratelimit-remaining`, `ratelimit-reset` in seconds) and the wait a vendor asks for.
 */
import type { ConnectorDefinition } from './connector-types'

/** Milliseconds to wait from a retry-after value: seconds, or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000)
  const at = Date.parse(trimmed)
  if (Number.isNaN(at)) return undefined
  return Math.max(0, at - now)
}

function retryAfterMs(connector: ConnectorDefinition, headers: Record<string, string>): number | undefined {
  for (const name of connector.rateLimit?.retryAfterHeaders ?? ['retry-after']) {
    const v = headers[name.toLowerCase()]
    if (v === undefined) continue
    if (name.toLowerCase().endsWith('-ms')) {
      const ms = Number(v)
      if (Number.isFinite(ms)) return Math.max(0, ms)
      continue
    }
    const ms = parseRetryAfter(v)
    if (ms !== undefined) return ms
  }
  return undefined
}

/**
 * How long the vendor asks to wait: its retry-after headers, else (when the connector says so)
 * the time until the reset of a limit whose remaining count is 0.
 */
export function throttleWaitMs(connector: ConnectorDefinition, headers: Record<string, string>, now = Date.now()): number | undefined {
  const explicit = retryAfterMs(connector, headers)
  if (explicit !== undefined) return explicit
  const conv = connector.rateLimit
  if (!conv?.waitForResetWhenExhausted || !conv.remainingHeader || !conv.resetHeader) return undefined
  if (headers[conv.remainingHeader.toLowerCase()]?.trim() !== '0') return undefined
  const reset = headers[conv.resetHeader.toLowerCase()]
  const seconds = reset === undefined ? undefined : resetSeconds(reset, conv.resetFormat ?? 'seconds', now)
  return seconds === undefined ? undefined : seconds * 1000
}

/** Whether an answer is a rate limit in disguise (a throttle status that says how long to wait). */
export function isThrottled(connector: ConnectorDefinition, status: number, headers: Record<string, string>): boolean {
  return (connector.rateLimit?.throttleStatuses ?? []).includes(status) && throttleWaitMs(connector, headers) !== undefined
}

function resetSeconds(value: string, format: 'seconds' | 'unix-seconds' | 'rfc3339', now: number): number | undefined {
  if (format === 'seconds') {
    const n = Number(value)
    return Number.isFinite(n) ? Math.max(0, Math.ceil(n)) : undefined
  }
  const at = format === 'unix-seconds' ? Number(value) * 1000 : Date.parse(value)
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - now) / 1000)) : undefined
}

/** The `ratelimit-*` (and `retry-after`) headers to send to the caller for a vendor response. */
export function rateLimitHeaders(
  connector: ConnectorDefinition,
  headers: Record<string, string>,
  now = Date.now(),
): Record<string, string> {
  const conv = connector.rateLimit
  const out: Record<string, string> = {}
  const limit = conv?.limitHeader && headers[conv.limitHeader.toLowerCase()]
  const remaining = conv?.remainingHeader && headers[conv.remainingHeader.toLowerCase()]
  const reset = conv?.resetHeader && headers[conv.resetHeader.toLowerCase()]
  if (limit) out['ratelimit-limit'] = limit
  if (remaining) out['ratelimit-remaining'] = remaining
  if (reset) {
    const s = resetSeconds(reset, conv?.resetFormat ?? 'seconds', now)
    if (s !== undefined) out['ratelimit-reset'] = String(s)
  }
  const wait = retryAfterMs(connector, headers)
  if (wait !== undefined) out['retry-after'] = String(Math.ceil(wait / 1000))
  return out
}
