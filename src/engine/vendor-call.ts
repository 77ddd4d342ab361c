/**
 * One vendor request, done properly: auth headers from the connector's scheme, retries with
 * exponential backoff and jitter on 429/5xx/network errors (honouring retry-after up to a cap),
 * a per-attempt timeout inside an overall deadline, and failures turned into the contract's
 * errors. Every connector goes through here.
 */
import { AbortError } from 'p-retry'
import qs from 'qs'
import { bytesToBase64, utf8 } from '../crypto/encoding'
import { ApiError } from '../lib/http-errors'
import { REDACTED } from '../lib/redactor'
import type { AuthScheme } from './connector-types'
import { TransportError, type HttpResponse } from './http/transport'
import { isThrottled, rateLimitHeaders, throttleWaitMs } from './rate-limits'
import type { CallAbortSource } from './request-abort'
import { retried } from './retried'
import { assertSafeHeaderValue, renderText, type TemplateScope } from './template'
import { assertPublicUrl } from './url-policy'
import { parseBodyLenient, transportFailure, vendorError } from './vendor-errors'
import { readVendorResponse } from './vendor-response'
import type { PreparedRequest, VendorExchange, VendorSession } from './vendor-session'

const RETRYABLE = new Set([408, 425, 429, 500, 502, 503, 504, 529])
/** Transport failures another attempt cannot change: a request that can never be sent is one. */
const NEVER_RETRIED = new Set<TransportError['kind']>(['aborted', 'too_large', 'unsendable'])

class RetryableStatus extends Error {
  constructor(
    readonly response: HttpResponse,
    readonly waitMs: number | undefined,
  ) {
    super(`vendor answered ${response.status}`)
  }
}

function authHeaders(auth: AuthScheme, scope: TemplateScope): Record<string, string> {
  switch (auth.type) {
    case 'bearer':
      return { authorization: `Bearer ${String(scope.credentials?.[auth.credential] ?? '')}` }
    case 'basic':
      // UTF-8 (RFC 7617's charset): btoa alone throws on anything beyond Latin-1.
      return {
        authorization: `Basic ${bytesToBase64(utf8.encode(`${renderText(auth.username, scope)}:${renderText(auth.password, scope)}`))}`,
      }
    case 'headers':
      return Object.fromEntries(Object.entries(auth.headers).map(([k, v]) => [k.toLowerCase(), renderText(v, scope)]))
    default:
      return {}
  }
}

export function buildUrl(
  baseUrl: string,
  path: string,
  query: Record<string, unknown>,
  arrayFormat: 'brackets' | 'repeat' | 'comma' | 'indices' = 'brackets',
): string {
  const search = qs.stringify(query, { arrayFormat, encodeValuesOnly: true, skipNulls: true })
  // A base that carries its own query (a presigned URL) keeps it; the fragment never leaves.
  const [withoutHash] = baseUrl.split('#')
  const q = withoutHash.indexOf('?')
  const base = q === -1 ? withoutHash : withoutHash.slice(0, q)
  const all = [q === -1 ? '' : withoutHash.slice(q + 1), search].filter(Boolean).join('&')
  return `${base.replace(/\/+$/, '')}${path}${all ? `?${all}` : ''}`
}

/** The base URL a request goes to: the session's, or the other one it names. */
function baseUrlOf(session: VendorSession, req: PreparedRequest): string {
  if (req.baseUrl === undefined) return session.baseUrl
  const other = session.otherBaseUrls?.[req.baseUrl]
  if (other === undefined) throw new Error(`${session.connector.id} has no other base URL named "${req.baseUrl}"`)
  return other
}

/** Applies the request's URL policy; true when the transport must also check at connect time. */
async function checkUrlPolicy(session: VendorSession, req: PreparedRequest, url: string): Promise<boolean> {
  if (req.urlPolicy !== 'public-https') return false
  const origin = URL.canParse(url) ? new URL(url).origin : undefined
  if (origin && session.trustedOrigins?.includes(origin)) return false
  await assertPublicUrl(url, session.deps.settings, { label: req.urlLabel })
  return !session.deps.settings.UNIMETER_ALLOW_PRIVATE_URLS
}

const sleep = (ms: number, signal?: CallAbortSource) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true })
  })

export async function callVendor(session: VendorSession, req: PreparedRequest): Promise<VendorExchange> {
  const { connector, deps } = session
  const { settings } = deps
  const scope: TemplateScope = { credentials: session.credentials, context: session.context }
  const headers: Record<string, string> = {
    accept: 'application/json',
    'user-agent': 'unimeter/0.1',
    ...(req.foreign
      ? {}
      : {
          ...Object.fromEntries(Object.entries(connector.headers ?? {}).map(([k, v]) => [k.toLowerCase(), renderText(v, scope)])),
          ...Object.fromEntries(Object.entries(req.headers ?? {}).map(([k, v]) => [k.toLowerCase(), renderText(v, scope)])),
          ...authHeaders(req.auth ?? connector.auth, scope),
        }),
  }
  let bodyText: string | undefined
  if (req.body !== undefined && req.method !== 'GET') {
    bodyText = JSON.stringify(req.body)
    headers['content-type'] = 'application/json'
  }
  for (const [k, v] of Object.entries(headers)) assertSafeHeaderValue(`header ${k}`, v)
  const url = buildUrl(req.url ?? baseUrlOf(session, req), req.path, req.query)
  const publicOnly = await checkUrlPolicy(session, req, url)
  const redactedHeaders = Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k, k === 'authorization' || session.secrets.some((s) => v.includes(s)) ? REDACTED : v]),
  )
  const retryable = (status: number) => RETRYABLE.has(status) || (connector.retryStatuses?.includes(status) ?? false)
  let attempts = 0

  const attempt = async (): Promise<HttpResponse> => {
    attempts++
    const remaining = session.deadline - Date.now()
    if (remaining <= 0) {
      throw new AbortError(
        new ApiError(504, 'deadline_exceeded', `${connector.label} did not answer within the request deadline`, {
          remote: { rawResponse: null },
        }),
      )
    }
    let res: HttpResponse
    try {
      res = await deps.transport({
        method: req.method,
        url,
        headers,
        body: bodyText,
        timeoutMs: Math.min(settings.UNIMETER_VENDOR_TIMEOUT_MS, remaining),
        maxBytes: settings.UNIMETER_MAX_RESPONSE_BYTES,
        signal: session.signal,
        publicOnly,
      })
    } catch (err) {
      if (err instanceof TransportError && NEVER_RETRIED.has(err.kind)) throw new AbortError(transportFailure(connector, err))
      throw err
    }
    if (retryable(res.status) || isThrottled(connector, res.status, res.headers)) {
      const wait = throttleWaitMs(connector, res.headers)
      // A vendor asking for a longer pause than we allow (or than the deadline leaves) gets its
      // 429 passed to the caller at once, retry-after included, instead of holding the request.
      if (wait !== undefined && (wait > settings.UNIMETER_RETRY_AFTER_CAP_MS || Date.now() + wait >= session.deadline)) {
        throw new AbortError(new RetryableStatus(res, wait))
      }
      throw new RetryableStatus(res, wait)
    }
    return res
  }

  let res: HttpResponse
  try {
    res = await retried(attempt, session.signal, () => ({
      retries: settings.UNIMETER_RETRY_MAX,
      factor: 2,
      minTimeout: settings.UNIMETER_RETRY_MIN_DELAY_MS,
      maxTimeout: settings.UNIMETER_RETRY_MAX_DELAY_MS,
      randomize: true,
      maxRetryTime: Math.max(0, session.deadline - Date.now()),
      onFailedAttempt: async ({ error, retriesLeft }) => {
        deps.logger.debug('vendor attempt failed', {
          connector: connector.id,
          url: session.deps.redactor.redactText(url, session.secrets),
          error: error.message,
          retriesLeft,
        })
        if (retriesLeft > 0 && error instanceof RetryableStatus && error.waitMs) await sleep(error.waitMs, session.signal)
      },
    }))
  } catch (err) {
    if (err instanceof RetryableStatus) {
      const { status, headers, body } = err.response
      // A throttle status (GitHub's rate-limit 403) is a rate limit: the caller sees a 429.
      const override = isThrottled(connector, status, headers) ? { status: 429 } : undefined
      throw vendorError(session, { status, headers, body: parseBodyLenient(body), override })
    }
    if (err instanceof TransportError) throw transportFailure(connector, err)
    if (err instanceof ApiError) throw err
    throw new ApiError(502, 'remote_unreachable', `Could not reach ${connector.label}: ${(err as Error).message}`, {
      remote: { rawResponse: null },
    })
  }

  const body = await readVendorResponse(session, res, req.responseFormat)
  return {
    url: session.deps.redactor.redactText(url, session.secrets),
    method: req.method,
    requestHeaders: redactedHeaders,
    requestBody: req.body,
    status: res.status,
    headers: res.headers,
    body,
    rateLimit: rateLimitHeaders(connector, res.headers),
    attempts,
  }
}
