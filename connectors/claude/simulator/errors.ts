/**
 * Anthropic's error envelope and request ids (providers.md §1.1, §1.7). Every answer carries a
 * `request-id` header; error bodies repeat it as `request_id`, so both must be the same id.
 */
import { base58Noise, type VendorShape } from '../../../src/sandbox/simulator-kit'

/** Status ↔ `error.type`, verbatim from the reference table. */
const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'conflict_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
}

/** Statuses outside the table still need a type a client can branch on. */
export function errorType(status: number): string {
  return ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error')
}

export interface AnthropicErrorBody {
  type: 'error'
  error: { type: string; message: string }
  request_id: string
}

/** The kit reports an unrouted path as "No route for GET /x"; Anthropic itself just says "Not Found". */
const NO_ROUTE = /^No route for \S+ \S+$/

/**
 * The vendor shape for one simulator instance. Request ids come from a per-instance counter so
 * two simulators started with the same seed answer byte-for-byte alike.
 */
export function anthropicVendor(seed: number): VendorShape & {
  nextRequestId(): string
  error(status: number, message: string): AnthropicErrorBody
} {
  let counter = 0
  const nextRequestId = (): string => `req_01${base58Noise(seed ^ 0x52455121, counter++, 22)}`
  const error = (status: number, message: string): AnthropicErrorBody => ({
    type: 'error',
    error: { type: errorType(status), message: status === 404 && NO_ROUTE.test(message) ? 'Not Found' : message },
    request_id: nextRequestId(),
  })
  return {
    nextRequestId,
    error,
    errorBody: error,
    defaultRetryAfter: '1',
    // Reuse the body's id when there is one so header and body agree, as they do at Anthropic.
    responseHeaders: (_status, body) => {
      const fromBody = (body as { request_id?: unknown } | null)?.request_id
      return { 'request-id': typeof fromBody === 'string' ? fromBody : nextRequestId() }
    },
  }
}
