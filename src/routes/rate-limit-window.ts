/**
 * Fixed-window request counters for the gateway's own rate limits, kept in memory.
 *
 * In memory on purpose: on Node one process serves every request, so the counts are exact. On
 * Workers the per-token and per-account limits are counted by one Durable Object per key instead,
 * with the same arithmetic (`hitWindow`; ./rate-limit-store.ts), so they are global there too; the
 * failed-authentication and link-token limits use this counter directly and hold per isolate.
 */

export interface WindowHit {
  limit: number
  /** Requests still allowed in this window after this one (0 when refused). */
  remaining: number
  /** Milliseconds until the window resets. */
  resetMs: number
  allowed: boolean
}

export interface WindowCounter {
  hit(key: string, limit: number, now?: number): WindowHit
  /** The state `hit` would see, without counting (a refusal here means `hit` would refuse). */
  peek(key: string, limit: number, now?: number): WindowHit
}

/** One key's current window: when it started, and the requests counted in it so far. */
export interface CountWindow {
  start: number
  count: number
}

/** Counts one request in `w` (updated in place) unless `limit` is reached: every counter's arithmetic. */
export function hitWindow(w: CountWindow, limit: number, windowMs: number, now: number): WindowHit {
  const resetMs = Math.max(0, w.start + windowMs - now)
  if (w.count >= limit) return { limit, remaining: 0, resetMs, allowed: false }
  w.count++
  return { limit, remaining: limit - w.count, resetMs, allowed: true }
}

export class FixedWindowCounter implements WindowCounter {
  private readonly windows = new Map<string, CountWindow>()

  /**
   * @param windowMs length of a window
   * @param maxKeys keys kept at most: callers choose the account ids they send, so the map must
   *   not grow with whatever they invent (expired windows go first, then the oldest).
   */
  constructor(
    readonly windowMs: number,
    private readonly maxKeys = 50_000,
  ) {}

  hit(key: string, limit: number, now = Date.now()): WindowHit {
    let w = this.windows.get(key)
    if (!w || now - w.start >= this.windowMs) {
      if (w) this.windows.delete(key)
      else if (this.windows.size >= this.maxKeys) this.evict(now)
      w = { start: now, count: 0 }
      // Re-inserted on every new window, so map order is window-start order for eviction.
      this.windows.set(key, w)
    }
    return hitWindow(w, limit, this.windowMs, now)
  }

  peek(key: string, limit: number, now = Date.now()): WindowHit {
    const w = this.windows.get(key)
    if (!w || now - w.start >= this.windowMs) return { limit, remaining: limit, resetMs: this.windowMs, allowed: true }
    const resetMs = Math.max(0, w.start + this.windowMs - now)
    return { limit, remaining: Math.max(0, limit - w.count), resetMs, allowed: w.count < limit }
  }

  get size(): number {
    return this.windows.size
  }

  private evict(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(key)
    // Everything still live: drop the oldest tenth so eviction is not paid on every new key.
    if (this.windows.size >= this.maxKeys) {
      let drop = Math.max(1, Math.floor(this.maxKeys / 10))
      for (const key of this.windows.keys()) {
        if (drop-- <= 0) break
        this.windows.delete(key)
      }
    }
  }
}
