/**
 * Turning a vendor's failure into the contract's error: the vendor status kept, its message and
 * code extracted by the connector's error convention, the raw body attached (secrets scrubbed),
 * and its retry-after / rate-limit information forwarded as headers.
 */
import { ApiError, badRequest } from '../lib/http-errors'
import { firstPath } from '../lib/object-path'
import type { ConnectorDefinition } from './connector-types'
import { TransportError } from './http/transport'
import { rateLimitHeaders, throttleWaitMs } from './rate-limits'
import type { VendorSession } from './vendor-session'

const RAW_TEXT_LIMIT = 4096

/** A body parsed once: `json` says whether it was JSON (then `value` is it), else `value` is its text, cut. */
interface ParsedBody {
  json: boolean
  value: unknown
}

export function parseBody(text: string): ParsedBody {
  if (!text) return { json: false, value: null }
  try {
    return { json: true, value: JSON.parse(text) }
  } catch {
    return { json: false, value: text.length > RAW_TEXT_LIMIT ? `${text.slice(0, RAW_TEXT_LIMIT)}…` : text }
  }
}

export function parseBodyLenient(text: string): unknown {
  return parseBody(text).value
}

interface VendorFailure {
  status: number
  headers: Record<string, string>
  body: unknown
  /** From the connector's error mapping, when it has one. */
  override?: { status?: number; message?: string; code?: string } | null
}

/** The session's secrets, and every other one the gateway opened, are scrubbed from what the caller sees. */
export function vendorError(session: VendorSession, failure: VendorFailure): ApiError {
  const { connector, deps, secrets } = session
  const { body, headers } = failure
  const status = failure.override?.status ?? failure.status
  const rawMessage = failure.override?.message ?? firstPath(body, connector.errors.messagePaths)
  const message =
    typeof rawMessage === 'string' && rawMessage
      ? rawMessage
      : typeof body === 'string' && body
        ? `${connector.label} answered ${failure.status}: ${body.slice(0, 200)}`
        : `${connector.label} answered ${failure.status}`
  const rawCode = failure.override?.code ?? firstPath(body, connector.errors.codePaths ?? [])
  const code = typeof rawCode === 'string' && rawCode ? rawCode : `remote_${status}`
  const out = rateLimitHeaders(connector, headers)
  // A rate limit that names no retry-after but an exhausted limit's reset still says when to retry.
  const wait = status === 429 && out['retry-after'] === undefined ? throttleWaitMs(connector, headers) : undefined
  if (wait !== undefined) out['retry-after'] = String(Math.ceil(wait / 1000))
  return new ApiError(status >= 400 && status <= 599 ? status : 502, code, deps.redactor.redactText(message, secrets), {
    remote: { rawResponse: deps.redactor.redactValue(body, secrets) },
    headers: out,
  })
}

export function transportFailure(connector: ConnectorDefinition, err: TransportError): ApiError {
  const remote = { rawResponse: null }
  switch (err.kind) {
    case 'timeout':
      return new ApiError(504, 'remote_timeout', `${connector.label} did not answer in time: ${err.message}`, { remote })
    case 'too_large':
      return new ApiError(502, 'remote_response_too_large', `${connector.label} sent a response that is too large: ${err.message}`, {
        remote,
      })
    case 'aborted':
      return new ApiError(499 as number, 'request_cancelled', 'The request was cancelled')
    case 'unsendable':
      // Nothing reached the vendor: the values the request was built from are at fault.
      return badRequest('invalid_request', `This request cannot be sent to ${connector.label}: ${err.message}`)
    default:
      return new ApiError(502, 'remote_unreachable', `Could not reach ${connector.label}: ${err.message}`, { remote })
  }
}

export function invalidVendorBody(session: VendorSession, text: string, why: string): ApiError {
  return new ApiError(502, 'invalid_remote_response', `${session.connector.label} sent a response unimeter could not read: ${why}`, {
    remote: { rawResponse: session.deps.redactor.redactValue(parseBodyLenient(text), session.secrets) },
  })
}
