/** p-retry for a vendor call, its first attempt made without it (see retried). */
import pRetry, { type Options as RetryOptions } from 'p-retry'
import type { CallAbortSource } from './request-abort'

/**
 * p-retry around `attempt`, its first attempt made here: most vendor calls succeed at once, and
 * p-retry's bookkeeping (an options copy and checks, a clock read, a promise layer, the signal's
 * checks, which need a real AbortSignal) would be paid by every one (issue 16). A first attempt
 * that fails is handed to p-retry as its own first attempt's outcome, so what follows (retries,
 * backoff, giving up, an abort) is p-retry's exactly. `options` is read then: its
 * `maxRetryTime`, counted from the deadline, leaves what it would have left counted from the
 * start. p-retry's signal aborts only once that replayed attempt has run, as the caller's abort
 * would have reached it during the attempt: its check before an attempt passes, the one after it
 * does not.
 */
export async function retried<T>(
  attempt: () => Promise<T>,
  abort: CallAbortSource | undefined,
  options: () => Omit<RetryOptions, 'signal'>,
): Promise<T> {
  abort?.throwIfAborted()
  let first: unknown
  try {
    const result = await attempt()
    if (!abort?.aborted) return result
    // p-retry checks the signal inside the attempt's try: an abort after it is that attempt's failure.
    first = abort.reason
  } catch (err) {
    first = err
  }
  const signal = abort ? new AbortController() : undefined
  const follow = () => signal?.abort(abort?.reason)
  let replay = true
  try {
    return await pRetry(
      () => {
        if (!replay) return attempt()
        replay = false
        if (abort?.aborted) follow()
        else abort?.addEventListener('abort', follow, { once: true })
        throw first
      },
      { ...options(), signal: signal?.signal },
    )
  } finally {
    abort?.removeEventListener('abort', follow)
  }
}
