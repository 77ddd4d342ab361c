/**
 * The CLI's only way to the gateway: JSON requests with the bearer token, error envelopes turned
 * into ApiCallError, and (with --verbose) each request and response on stderr, secrets redacted.
 */
import qs from 'qs'
import { ApiCallError, ConnectionError, UsageError } from '../errors'
import { redactHeaderValue, redactText } from './redact'

interface ClientOptions {
  apiUrl: string
  token?: string
  verbose: boolean
  /** Where verbose lines go (stderr). */
  log: (line: string) => void
}

interface RequestOptions {
  query?: Record<string, unknown>
  body?: unknown
  signal?: AbortSignal
}

/** Longest response body echoed by --verbose; the rest is summarized. */
const VERBOSE_BODY_CHARS = 4000

export class ApiClient {
  constructor(readonly options: ClientOptions) {}

  url(path: string, query?: Record<string, unknown>): string {
    const search = query ? qs.stringify(query, { arrayFormat: 'brackets', skipNulls: true }) : ''
    return `${this.options.apiUrl.replace(/\/+$/, '')}${path}${search ? `?${search}` : ''}`
  }

  /** A JSON request; resolves to the parsed body of a 2xx answer. */
  async json<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const res = await this.send(method, path, options)
    const text = await res.text()
    this.logBody(text)
    if (!res.ok) throw new ApiCallError(res.status, parseMaybe(text), `${method} ${path}`)
    return parseMaybe(text) as T
  }

  /** A request whose body the caller reads as a stream (NDJSON exports). Errors still throw. */
  async stream(path: string, options: RequestOptions = {}): Promise<Response> {
    const res = await this.send('GET', path, options)
    if (!res.ok) {
      const text = await res.text()
      this.logBody(text)
      throw new ApiCallError(res.status, parseMaybe(text), `GET ${path}`)
    }
    if (this.options.verbose) this.options.log('< (streamed body not shown)')
    return res
  }

  private async send(method: string, path: string, options: RequestOptions): Promise<Response> {
    const token = this.options.token
    if (!token) {
      throw new UsageError(
        'No API token.',
        'pass --token <token> or set UNIMETER_TOKEN (`unimeter serve` prints one on first start; `unimeter tokens create` makes more)',
      )
    }
    const url = this.url(path, options.query)
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json, application/x-ndjson' }
    let body: string | undefined
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json'
      body = JSON.stringify(options.body)
    }
    if (this.options.verbose) {
      this.options.log(`> ${method} ${url}`)
      for (const [k, v] of Object.entries(headers)) this.options.log(`> ${k}: ${redactHeaderValue(k, v)}`)
      if (body !== undefined) this.options.log(`> ${redactText(body, [token])}`)
    }
    const started = Date.now()
    let res: Response
    try {
      res = await fetch(url, { method, headers, body, signal: options.signal })
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err
      throw new ConnectionError(this.options.apiUrl, err)
    }
    if (this.options.verbose) {
      this.options.log(`< ${res.status} ${res.statusText} (${Date.now() - started} ms)`)
      res.headers.forEach((v, k) => this.options.log(`< ${k}: ${redactHeaderValue(k, v)}`))
    }
    return res
  }

  private logBody(text: string): void {
    if (!this.options.verbose || text === '') return
    const clean = redactText(text, this.options.token ? [this.options.token] : [])
    this.options.log(clean.length > VERBOSE_BODY_CHARS ? `< ${clean.slice(0, VERBOSE_BODY_CHARS)}… (${clean.length} chars)` : `< ${clean}`)
  }
}

function parseMaybe(text: string): unknown {
  if (text === '') return null
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
