/**
 * The types a vendor call is made of (the engine's dependencies, one account's session, a
 * prepared request, the exchange it produced), in a module of their own: the call, the answer's
 * judging and the request builder all use them without importing one another.
 */
import type { Settings } from '../config/settings'
import type { Logger } from '../lib/logger'
import type { Redactor } from '../lib/redactor'
import type { AuthScheme, ConnectorDefinition } from './connector-types'
import type { HttpTransport } from './http/transport'
import type { WebSocketFactory } from './http/websocket'
import type { MappingEngine } from './mapping/mapping-engine'
import type { CallAbortSource } from './request-abort'
import type { UrlPolicy } from './url-policy'

export interface EngineDeps {
  settings: Settings
  transport: HttpTransport
  mappings: MappingEngine
  logger: Logger
  /** Scrubs the secrets the gateway has opened from URLs, errors and debug output. */
  redactor: Redactor
  /** For custom protocols that speak WebSocket; the runtime supplies it. */
  webSocket?: WebSocketFactory
}

/** Everything needed to call one vendor for one account during one gateway request. */
export interface VendorSession {
  deps: EngineDeps
  connector: ConnectorDefinition
  baseUrl: string
  /** The connector's `otherBaseUrls`, resolved for this account (see src/unified/base-url.ts). */
  otherBaseUrls?: Record<string, string>
  credentials: Record<string, string>
  context: Record<string, unknown>
  /** Plaintext secrets of this account, scrubbed from anything shown to the caller. */
  secrets: string[]
  /** Epoch ms after which no further vendor request starts. */
  deadline: number
  /** Aborts its vendor calls: the request's RequestAbort (./request-abort.ts), or any AbortSignal. */
  signal?: CallAbortSource
  /**
   * Origins exempt from URL policies because the operator, not a caller, put them there: the
   * sandbox simulator's own origin for sandbox accounts.
   */
  trustedOrigins?: string[]
}

/**
 * How a successful body is read: one JSON document, or records one JSON document per line
 * (NDJSON report files; a body that is one JSON array is accepted too).
 */
export type ResponseFormat = 'json' | 'json-lines'

export interface PreparedRequest {
  method: 'GET' | 'POST'
  /** Already rendered, starting with '/' (or '' after a `url`). */
  path: string
  /** A whole URL replacing the session's base URL (already rendered). */
  url?: string
  /** The name of the session's other base URL this request goes to, instead of its base URL. */
  baseUrl?: string
  urlPolicy?: UrlPolicy
  /** How the URL is named in a policy error, e.g. `context.snapshot_url`. */
  urlLabel?: string
  query: Record<string, unknown>
  body?: unknown
  headers?: Record<string, string>
  /** Replaces the connector's auth scheme for this request. */
  auth?: AuthScheme
  /**
   * A URL of another host that the vendor handed out (a signed download link): sent without the
   * connector's headers and credentials, which are the vendor's alone.
   */
  foreign?: boolean
  /** How the body is read (default one JSON document). */
  responseFormat?: ResponseFormat
}

export interface VendorExchange {
  url: string
  method: string
  /** Request headers with credentials replaced by [REDACTED]. */
  requestHeaders: Record<string, string>
  requestBody?: unknown
  status: number
  headers: Record<string, string>
  body: unknown
  /** Normalized `ratelimit-*` headers for the caller. */
  rateLimit: Record<string, string>
  attempts: number
}
