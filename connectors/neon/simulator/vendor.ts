/**
 * How the Neon API v2 speaks: Bearer keys, `GeneralError` bodies `{request_id, code, message}`
 * for every error, and a request id on every response (`x-neon-ret-request-id`), echoing the
 * caller's `X-Request-ID` when it sent one.
 */
import { randomUUID } from 'node:crypto'
import type { SimHandler, SimRequest, SimResponse, VendorShape } from '../../../src/sandbox/simulator-kit'

export const DEFAULT_API_KEY = 'neon_sandbox_unimeter'
export const REQUEST_ID_HEADER = 'x-neon-ret-request-id'

export interface GeneralError {
  request_id: string
  code: string
  message: string
}

export function errorBody(status: number, message: string, requestId: string = randomUUID()): GeneralError {
  // Neon's ErrorCode is a free string and is empty on the errors seen in the wild.
  return { request_id: requestId, code: '', message }
}

export const neonVendor: VendorShape = {
  errorBody: (status, message) => errorBody(status, message),
  // Neon documents no rate-limit headers, Retry-After included.
  defaultRetryAfter: null,
  responseHeaders: (_status, body) => {
    const id = (body as Partial<GeneralError> | null)?.request_id
    return { [REQUEST_ID_HEADER]: typeof id === 'string' ? id : randomUUID() }
  },
}

/** Thrown by handlers to answer with a GeneralError. */
export class NeonError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

function requestId(req: SimRequest): string {
  const sent = req.headers['x-request-id']
  return typeof sent === 'string' && sent.trim() !== '' ? sent.trim() : randomUUID()
}

function authorized(req: SimRequest, apiKey: string): boolean {
  const header = req.headers.authorization
  if (typeof header !== 'string') return false
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
  return match !== null && match[1] === apiKey
}

/**
 * Wraps a handler with the key check, the request id header, and GeneralError bodies for a
 * thrown NeonError.
 */
export function neonRoute(apiKey: string, handler: SimHandler): SimHandler {
  return async (req): Promise<SimResponse> => {
    const id = requestId(req)
    const fail = (status: number, message: string): SimResponse => ({
      status,
      body: errorBody(status, message, id),
      headers: { [REQUEST_ID_HEADER]: id },
    })
    if (!authorized(req, apiKey)) return fail(401, 'authentication required')
    try {
      const out = await handler(req)
      return { ...out, headers: { [REQUEST_ID_HEADER]: id, ...(out.headers ?? {}) } }
    } catch (err) {
      if (err instanceof NeonError) return fail(err.status, err.message)
      throw err
    }
  }
}

/** A complete JSON text as a response, so large bodies need not become objects first. */
export function jsonText(text: string): SimResponse {
  return { status: 200, body: text, headers: { 'content-type': 'application/json' } }
}
