/**
 * The gateway's rate-limit headers of one request (./rate-limit.ts), on their way to its response.
 * A handler that builds its response's headers as a plain record (the unified routes) adds them
 * there: a response built that way goes out on Node without a `Headers` object ever being made
 * for it, where setting them on `c.res.headers` afterwards would build one on every request. For
 * any other response the rate limit sets them after the handler, as before.
 */
export class LimitHeaders {
  /** Whether a handler took them into its response (set or, deferring to the vendor's, left out). */
  added = false

  constructor(readonly values: Record<string, string>) {}

  /** Adds them to `headers`, unless those carry the vendor's own `ratelimit-*` (they win: §2.5). */
  addTo(headers: Record<string, string>): void {
    this.added = true
    if (!('ratelimit-limit' in headers)) Object.assign(headers, this.values)
  }
}
