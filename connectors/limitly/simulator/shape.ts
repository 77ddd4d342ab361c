/**
 * Limitly's response bodies. The docs show `{data, count}` while the SDK's types and tests show
 * `{success: true, data, count}` (reference §5.2, "envelope discrepancy"), so the envelope is a
 * variant: 'sdk' (default) sends both `success` and `data`, 'docs' sends the docs' shape.
 */
import type { SimResponse, VendorShape } from '../../../src/sandbox/simulator-kit'

export type Envelope = 'docs' | 'sdk'

export function parseEnvelope(value: string | undefined): Envelope {
  if (value === undefined || value === 'sdk') return 'sdk'
  if (value === 'docs') return 'docs'
  throw new Error(`limitly simulator: unknown envelope variant '${value}' (expected 'docs' or 'sdk')`)
}

/** Error codes Limitly documents (§5.3); INTERNAL_ERROR is ours, for a 500 the docs leave unnamed. */
export type LimitlyErrorCode =
  | 'INVALID_API_KEY'
  | 'RATE_LIMIT_EXCEEDED'
  | 'VALIDATION_ERROR'
  | 'NOT_FOUND'
  | 'UNAUTHORIZED'
  | 'USER_NOT_FOUND'
  | 'PLAN_NOT_FOUND'
  | 'API_KEY_NOT_FOUND'
  | 'API_KEY_DISABLED'
  | 'INVALID_REQUEST'
  | 'INTERNAL_ERROR'

export interface ValidationDetails {
  field: string
  message: string
}

/** The code a bare status maps to, for faults the kit injects without a vendor code. */
function codeForStatus(status: number): LimitlyErrorCode {
  if (status === 400) return 'VALIDATION_ERROR'
  if (status === 401) return 'INVALID_API_KEY'
  if (status === 403) return 'UNAUTHORIZED'
  if (status === 404) return 'NOT_FOUND'
  if (status === 429) return 'RATE_LIMIT_EXCEEDED'
  return 'INTERNAL_ERROR'
}

export class LimitlyShape {
  constructor(readonly envelope: Envelope) {}

  /** `{data}` (+ `success: true` in the SDK envelope) with extra top-level fields such as `count`. */
  ok(data: unknown, extra: Record<string, unknown> = {}, headers?: Record<string, string>): SimResponse {
    const body = this.envelope === 'sdk' ? { success: true, data, ...extra } : { data, ...extra }
    return { status: 200, body, headers }
  }

  errorBody(message: string, code: LimitlyErrorCode, details?: ValidationDetails): Record<string, unknown> {
    return {
      ...(this.envelope === 'sdk' ? { success: false } : {}),
      error: message,
      code,
      ...(details ? { details } : {}),
    }
  }

  error(status: number, message: string, code: LimitlyErrorCode, details?: ValidationDetails): SimResponse {
    return { status, body: this.errorBody(message, code, details) }
  }

  validation(field: string, message: string): SimResponse {
    return this.error(400, 'Validation failed', 'VALIDATION_ERROR', { field, message })
  }

  /** What the kit needs to send injected faults in Limitly's shape. */
  vendor(): VendorShape {
    return {
      errorBody: (status, message) => this.errorBody(status === 429 ? 'Rate limit exceeded' : message, codeForStatus(status)),
      // Limitly documents no Retry-After on its 429 (§5.3).
      defaultRetryAfter: null,
    }
  }
}
