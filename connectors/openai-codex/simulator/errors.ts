/**
 * OpenAI's error envelope (providers.md §2.5): `{"error":{"message","type","param","code"}}` with
 * every field present and `param`/`code` nullable, for every status. Answers also carry an
 * `x-request-id` (`req_` + 32 hex), as api.openai.com sends on each response.
 */
import { hash32, mulberry32, type VendorShape } from '../../../src/sandbox/simulator-kit'

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null }
}

/** `type` and default `code` per status; unlisted statuses fall back by class. */
const BY_STATUS: Record<number, { type: string; code: string | null }> = {
  400: { type: 'invalid_request_error', code: null },
  401: { type: 'invalid_request_error', code: 'invalid_api_key' },
  403: { type: 'invalid_request_error', code: null },
  404: { type: 'invalid_request_error', code: null },
  409: { type: 'invalid_request_error', code: null },
  429: { type: 'requests', code: 'rate_limit_exceeded' },
}

/** The kit reports an unrouted path as "No route for GET /x"; OpenAI says "Invalid URL (GET /x)". */
const NO_ROUTE = /^No route for (\S+ \S+)$/

export function openaiError(status: number, message: string, extra: { param?: string | null; code?: string | null } = {}): OpenAIErrorBody {
  const known = BY_STATUS[status] ?? { type: status >= 500 ? 'server_error' : 'invalid_request_error', code: null }
  const route = status === 404 ? NO_ROUTE.exec(message) : null
  return {
    error: {
      message: route ? `Invalid URL (${route[1]})` : message,
      type: known.type,
      param: extra.param ?? null,
      code: extra.code === undefined ? known.code : extra.code,
    },
  }
}

/** Request ids come from a per-instance counter, so equal seeds give equal answers. */
export function openaiVendor(seed: number): VendorShape {
  let counter = 0
  const requestId = (): string => {
    const next = mulberry32(hash32(seed ^ 0x58524944, counter++))
    return `req_${Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16)).join('')}`
  }
  return {
    errorBody: (status, message) => openaiError(status, message),
    defaultRetryAfter: '1',
    responseHeaders: () => ({ 'x-request-id': requestId() }),
  }
}
