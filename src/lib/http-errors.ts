/**
 * The contract's error envelope `{statusCode, error, message, code}` and the one exception type
 * that carries it. Everything that fails a request throws an ApiError (or is turned into one).
 */

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  529: 'Site Overloaded',
}

export function statusText(status: number): string {
  return STATUS_TEXT[status] ?? (status >= 500 ? 'Server Error' : status >= 400 ? 'Client Error' : 'OK')
}

interface ErrorEnvelope {
  statusCode: number
  error: string
  message: string
  code: string
  details?: unknown
  truto_is_remote_error?: true
  raw_response?: unknown
  truto_error_insight?: Record<string, { description: string; value: unknown }>
}

interface ApiErrorOptions {
  details?: unknown
  /** The error came from the vendor: adds `truto_is_remote_error` and `raw_response`. */
  remote?: { rawResponse: unknown }
  insight?: ErrorEnvelope['truto_error_insight']
  /** Headers to send with the error (retry-after, ratelimit-*). */
  headers?: Record<string, string>
}

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly options: ApiErrorOptions

  constructor(status: number, code: string, message: string, options: ApiErrorOptions = {}) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.options = options
  }

  toEnvelope(): ErrorEnvelope {
    const env: ErrorEnvelope = { statusCode: this.status, error: statusText(this.status), message: this.message, code: this.code }
    if (this.options.details !== undefined) env.details = this.options.details
    if (this.options.remote) {
      env.truto_is_remote_error = true
      env.raw_response = this.options.remote.rawResponse
    }
    if (this.options.insight) env.truto_error_insight = this.options.insight
    return env
  }
}

export const badRequest = (code: string, message: string, options?: ApiErrorOptions) => new ApiError(400, code, message, options)
export const notFound = (code: string, message: string) => new ApiError(404, code, message)
