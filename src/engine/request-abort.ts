/**
 * A gateway request's one abort path (the caller gone, a stream cancelled, a sync run stopped),
 * without an AbortController until something needs a real AbortSignal. On Node 20 an abort
 * listener on an AbortSignal cost 11–23 µs to add (EventTarget), and every vendor call added
 * one; listeners here are a plain set. The undici transport and the WebSocket connector read it
 * as they read a signal (`aborted`, `reason`, `addEventListener`, `removeEventListener`);
 * whatever needs an AbortSignal itself (p-retry between attempts, the Workers fetch, a custom
 * fetch) takes `signal`, built on first use and aborted with the same reason.
 */
export class RequestAbort {
  aborted = false
  reason: unknown = undefined
  private controller?: AbortController
  private listeners?: Set<() => void>

  /** An AbortSignal that aborts with this (already aborted if this is). */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController()
      if (this.aborted) this.controller.abort(this.reason)
    }
    return this.controller.signal
  }

  abort(reason?: unknown): void {
    if (this.aborted) return
    this.aborted = true
    // What AbortController.abort() gives a signal without a reason.
    this.reason = reason ?? new DOMException('This operation was aborted', 'AbortError')
    this.controller?.abort(this.reason)
    const listeners = this.listeners
    this.listeners = undefined
    if (listeners) for (const listener of listeners) listener()
  }

  /** As an AbortSignal's: called once on abort (never if added after it), a listener added twice counts once. */
  addEventListener(_type: 'abort', listener: () => void, _options?: { once?: boolean }): void {
    if (this.aborted) return
    ;(this.listeners ??= new Set()).add(listener)
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    this.listeners?.delete(listener)
  }

  throwIfAborted(): void {
    if (this.aborted) throw this.reason
  }
}

/** What a vendor call may be aborted by: a request's RequestAbort, or any AbortSignal (sessions built elsewhere, tests). */
export type CallAbortSource = RequestAbort | AbortSignal

/** An AbortSignal for `source`, for what takes only a real one. */
export function abortSignalOf(source: CallAbortSource | undefined): AbortSignal | undefined {
  return source instanceof RequestAbort ? source.signal : source
}
