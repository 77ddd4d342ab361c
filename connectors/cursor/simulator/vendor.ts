/**
 * How the Cursor Admin API speaks: `{error, message}` bodies, HTTP Basic auth with the key as
 * the user name, and JSON request bodies on the POST report endpoints.
 */
import type { SimHandler, SimRequest, SimResponse, VendorShape } from '../../../src/sandbox/simulator-kit'

export const DEFAULT_API_KEY = 'key_sandbox_unimeter'

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

/** Texts the docs show verbatim: these statuses always carry them, whatever the caller asked. */
const FIXED_MESSAGE: Record<number, string> = {
  401: 'Invalid API key',
  404: 'Resource not found',
  429: 'Rate limit exceeded. Please try again later.',
}

export function errorBody(status: number, message: string): { error: string; message: string } {
  return { error: STATUS_TEXT[status] ?? 'Error', message: FIXED_MESSAGE[status] ?? message }
}

export const cursorVendor: VendorShape = {
  errorBody,
  // Only a third-party catalog claims Cursor sends it; clients must cope with or without.
  defaultRetryAfter: '60',
}

/** Thrown by handlers to answer with a Cursor error body. */
export class CursorError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

/** `Authorization: Basic base64("KEY:")`, what `curl -u KEY:` sends. */
function authorized(req: SimRequest, apiKey: string): boolean {
  const header = req.headers.authorization
  if (typeof header !== 'string') return false
  const match = /^Basic\s+(\S+)\s*$/i.exec(header)
  if (!match) return false
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return false
  return decoded.slice(0, colon) === apiKey && decoded.slice(colon + 1) === ''
}

/** Wraps a handler with the key check and turns a thrown CursorError into the vendor's body. */
export function cursorRoute(apiKey: string, handler: SimHandler): SimHandler {
  return async (req): Promise<SimResponse> => {
    if (!authorized(req, apiKey)) return { status: 401, body: errorBody(401, 'Invalid API key') }
    try {
      return await handler(req)
    } catch (err) {
      if (err instanceof CursorError) return { status: err.status, body: errorBody(err.status, err.message) }
      throw err
    }
  }
}

/** The JSON object a POST report endpoint was sent; an absent body counts as `{}`. */
export function jsonObjectBody(req: SimRequest): Record<string, unknown> {
  if (req.rawBody.trim() === '') return {}
  if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) {
    throw new CursorError(400, 'Request body must be a JSON object')
  }
  return req.body as Record<string, unknown>
}

/** A positive integer field, or `fallback` when the field is absent (null counts as absent). */
export function positiveInt(body: Record<string, unknown>, field: string, fallback: number): number {
  const value = body[field]
  if (value === undefined || value === null) return fallback
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new CursorError(400, `${field} must be a positive integer`)
  }
  return n
}

/** A complete JSON text as a response, so large bodies need not become objects first. */
export function jsonText(text: string): SimResponse {
  return { status: 200, body: text, headers: { 'content-type': 'application/json' } }
}
