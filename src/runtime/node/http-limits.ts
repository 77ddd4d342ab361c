/**
 * Node's HTTP layer, answered in the contract's envelope. Requests that node:http refuses before
 * any handler runs — a request head over MAX_HEADER_BYTES (a 20 KB query string), a malformed
 * request line or header, a head that never finishes — would get Node's bare status line and a
 * closed socket; the 'clientError' hook writes `{statusCode, error, message, code}` instead.
 * Requests Node parses but the adapter cannot turn into a URL (a bad Host header, a backslash in
 * the path) get the same envelope through the adapter's error handler.
 */
import type { Server } from 'node:http'
import type { Socket } from 'node:net'
import { ApiError, badRequest, statusText } from '../../lib/http-errors'
import type { Logger } from '../../lib/logger'

/**
 * Largest request head (request line and headers together). Node's own default, set explicitly
 * so `--max-http-header-size` cannot change what SECURITY.md promises.
 */
export const MAX_HEADER_BYTES = 16 * 1024

/** How long a refused connection may stay open while the client reads the answer. */
const LINGER_MS = 1_000

/** What a node:http parse error means for the caller. */
function clientErrorToApiError(err: NodeJS.ErrnoException): ApiError {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new ApiError(
        431,
        'request_header_too_large',
        `The request line and headers together are limited to ${MAX_HEADER_BYTES} bytes. Send long inputs in a request body, or fewer or shorter query parameters and headers.`,
      )
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return new ApiError(413, 'payload_too_large', 'The chunk extensions of the request body are too large')
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new ApiError(408, 'request_timeout', 'The request was not received in time; send it again')
    default:
      return badRequest(
        'malformed_request',
        `The request is not valid HTTP/1.1 (${parseReason(err)}); check the request line (METHOD /path HTTP/1.1) and the headers.`,
      )
  }
}

/** llhttp's reason ("Invalid method encountered"), without the raw bytes it may carry. */
function parseReason(err: NodeJS.ErrnoException): string {
  const reason = (err as { reason?: unknown }).reason
  return typeof reason === 'string' && reason ? reason : (err.code ?? 'unreadable request')
}

/** A complete HTTP/1.1 response carrying the envelope; the connection is closed after it. */
function rawErrorResponse(error: ApiError): string {
  const body = JSON.stringify(error.toEnvelope())
  return [
    `HTTP/1.1 ${error.status} ${statusText(error.status)}`,
    'content-type: application/json; charset=utf-8',
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
    '',
    body,
  ].join('\r\n')
}

/** Answers node:http's parse errors with the envelope, as Node would with its bare status line. */
export function answerClientErrors(server: Server): void {
  const answered = new WeakSet<Socket>()
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    // The parser may report again while the rest of a refused head arrives: answer once.
    if (answered.has(socket)) return
    answered.add(socket)
    // As Node itself: never write into a response already under way, nor to a peer that is gone.
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage
    if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy()
      return
    }
    socket.end(rawErrorResponse(clientErrorToApiError(err)))
    // Ended, not destroyed: destroying with unread input would reset the connection and could
    // discard the answer before the client reads it. A client that does not close is cut off.
    setTimeout(() => socket.destroy(), LINGER_MS).unref()
  })
}

/** @hono/node-server's errorHandler: requests it could not turn into a fetch Request. */
export function requestErrorHandler(logger: Logger): (err: unknown) => Response {
  return (err) => {
    let error: ApiError
    if (err instanceof Error && err.name === 'RequestError') {
      error = badRequest('malformed_request', `The request could not be read (${err.message}); check the Host header and the request path.`)
    } else {
      logger.error('unexpected error before routing', { error: (err as Error)?.message, stack: (err as Error)?.stack })
      error = new ApiError(500, 'internal_error', 'Something went wrong inside unimeter; the error has been logged')
    }
    return new Response(JSON.stringify(error.toEnvelope()), {
      status: error.status,
      headers: { 'content-type': 'application/json; charset=utf-8' },
    })
  }
}
