/**
 * Limitly's account rate limit: 1000 requests a minute per API key (§5.3), counted for real in
 * fixed windows aligned to the clock minute.
 */

export interface RateLimitState {
  allowed: boolean
  limit: number
  remaining: number
  /** Unix seconds when the window resets. */
  reset: number
}

export class FixedWindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>()

  constructor(
    readonly limit: number,
    private readonly windowMs = 60_000,
  ) {}

  /** Counts one request for `key` and says whether it fits in the current window. */
  hit(key: string, now = Date.now()): RateLimitState {
    const start = now - (now % this.windowMs)
    let w = this.windows.get(key)
    if (!w || w.start !== start) {
      w = { start, count: 0 }
      this.windows.set(key, w)
    }
    w.count++
    const allowed = w.count <= this.limit
    return { allowed, limit: this.limit, remaining: Math.max(0, this.limit - w.count), reset: (start + this.windowMs) / 1000 }
  }
}
