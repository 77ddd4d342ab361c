import type { CallAbortSource } from '../request-abort'

/**
 * The one way the engine talks HTTP. Node uses undici (pooled keep-alive connections); Workers
 * use fetch. Both read the whole body as text, bounded by `maxBytes`.
 */
export interface HttpRequest {
  method: string
  url: string
  headers: Record<string, string>
  body?: string
  /** Time allowed for the whole exchange, headers and body. */
  timeoutMs: number
  maxBytes: number
  signal?: CallAbortSource
  /**
   * Connect only to public addresses (URLs under the `public-https` policy). Transports that can
   * check at connect time do (Node); the URL itself was already checked by assertPublicUrl.
   */
  publicOnly?: boolean
}

export interface HttpResponse {
  status: number
  /** Lower-case header names. */
  headers: Record<string, string>
  body: string
}

/**
 * Thrown for failures below HTTP: refused, reset, timed out, too large; `unsendable` when the
 * request itself is invalid (a header value HTTP cannot carry) and was never sent.
 */
export class TransportError extends Error {
  constructor(
    readonly kind: 'timeout' | 'network' | 'too_large' | 'aborted' | 'unsendable',
    message: string,
  ) {
    super(message)
    this.name = 'TransportError'
  }
}

export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>
