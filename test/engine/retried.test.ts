/**
 * The vendor call's retries (src/engine/retried.ts) make their first attempt outside p-retry and
 * hand a failed one to p-retry to replay (issue 16). Each scripted run here goes through p-retry
 * alone and through `retried`, with an AbortSignal and with a request's RequestAbort as the
 * caller's abort: the outcome (the same value, or the same error or abort reason), the attempts
 * made and what p-retry reported of each failed one must be the same.
 */
import pRetry, { AbortError, type Options } from 'p-retry'
import { describe, expect, it } from 'vitest'
import { RequestAbort } from '../../src/engine/request-abort'
import { retried } from '../../src/engine/retried'

interface Caller {
  abort(): void
  source: RequestAbort | AbortSignal
  /** The signal p-retry alone is given. */
  signal: AbortSignal
}

const callers: Record<string, () => Caller> = {
  AbortSignal: () => {
    const controller = new AbortController()
    return { abort: () => controller.abort(), source: controller.signal, signal: controller.signal }
  },
  RequestAbort: () => {
    const abort = new RequestAbort()
    return { abort: () => abort.abort(), source: abort, signal: abort.signal }
  },
}

const failure = new Error('vendor answered 503')
const gaveUp = new Error('not retried')

/** What each attempt does, by its number (1-based); `caller` lets it abort the caller meanwhile. */
type Script = (n: number, caller: Caller) => Promise<string>

const scripts: Record<string, { script: Script; retries?: number; abortBefore?: boolean }> = {
  'succeeds at once': { script: async () => 'ok' },
  'fails once, then succeeds': { script: async (n) => (n === 1 ? Promise.reject(failure) : 'ok') },
  'fails every time': { script: async () => Promise.reject(failure) },
  'fails with no retries allowed': { script: async () => Promise.reject(failure), retries: 0 },
  'gives up at once (AbortError)': { script: async () => Promise.reject(new AbortError(gaveUp)) },
  'gives up on the second attempt': { script: async (n) => Promise.reject(n === 1 ? failure : new AbortError(gaveUp)) },
  'throws a non-error': { script: async () => Promise.reject('text') },
  'caller leaves during a failing first attempt': {
    script: async (n, caller) => {
      if (n === 1) caller.abort()
      throw failure
    },
  },
  'caller leaves during a first attempt that gives up': {
    script: async (n, caller) => {
      caller.abort()
      throw new AbortError(gaveUp)
    },
  },
  'caller leaves during a first attempt that succeeds': {
    script: async (n, caller) => {
      caller.abort()
      return 'ok'
    },
  },
  'caller leaves during the backoff': {
    script: async (n, caller) => {
      if (n === 1) setTimeout(() => caller.abort(), 5)
      throw failure
    },
  },
  'caller left before the call': { script: async () => 'ok', abortBefore: true },
}

interface Run {
  outcome: { value: string } | { error: unknown }
  attempts: number
  failed: Array<{ attemptNumber: number; retriesLeft: number; error: unknown }>
  reason: unknown
}

async function run(
  how: 'p-retry' | 'retried',
  makeCaller: () => Caller,
  { script, retries = 2, abortBefore }: (typeof scripts)[string],
): Promise<Run> {
  const caller = makeCaller()
  if (abortBefore) caller.abort()
  let attempts = 0
  const failed: Run['failed'] = []
  const options: Omit<Options, 'signal'> = {
    retries,
    minTimeout: 20,
    factor: 1,
    onFailedAttempt: ({ attemptNumber, retriesLeft, error }) => void failed.push({ attemptNumber, retriesLeft, error }),
  }
  const attempt = () => script(++attempts, caller)
  const work = how === 'p-retry' ? pRetry(attempt, { ...options, signal: caller.signal }) : retried(attempt, caller.source, () => options)
  const outcome = await work.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  )
  const reason = caller.source.aborted ? caller.source.reason : undefined
  return { outcome, attempts, failed, reason }
}

/** A run with errors named by what they are (this run's abort reason, a scripted error, or p-retry's own). */
function described(r: Run) {
  const name = (e: unknown) =>
    e === r.reason
      ? 'the abort reason'
      : e === failure
        ? 'failure'
        : e === gaveUp
          ? 'gave up'
          : e instanceof Error
            ? `${e.name}: ${e.message}`
            : e
  return {
    outcome: 'value' in r.outcome ? r.outcome : { error: name(r.outcome.error) },
    attempts: r.attempts,
    failed: r.failed.map((f) => ({ ...f, error: name(f.error) })),
  }
}

describe('retried: a vendor call’s retries, its first attempt outside p-retry', () => {
  for (const [callerName, makeCaller] of Object.entries(callers)) {
    for (const [scriptName, spec] of Object.entries(scripts)) {
      it(`${scriptName}, the caller's abort an ${callerName}: as p-retry alone`, async () => {
        const expected = described(await run('p-retry', makeCaller, spec))
        expect(described(await run('retried', makeCaller, spec))).toEqual(expected)
      })
    }
  }

  it('leaves no listener on the caller’s abort once a retried call ends', async () => {
    const abort = new RequestAbort()
    let n = 0
    await retried(
      async () => (++n === 1 ? Promise.reject(failure) : 'ok'),
      abort,
      () => ({ retries: 2, minTimeout: 1 }),
    )
    const listeners = (abort as unknown as { listeners?: Set<unknown> }).listeners
    expect(listeners?.size ?? 0).toBe(0)
  })
})

describe('RequestAbort', () => {
  it('calls each listener once on abort, not one removed or added after, and a signal asked for later is aborted too', () => {
    const abort = new RequestAbort()
    const calls: string[] = []
    const a = () => calls.push('a')
    const b = () => calls.push('b')
    abort.addEventListener('abort', a)
    abort.addEventListener('abort', a)
    abort.addEventListener('abort', b)
    abort.removeEventListener('abort', b)
    expect(abort.aborted).toBe(false)
    expect(() => abort.throwIfAborted()).not.toThrow()
    abort.abort()
    abort.abort('again')
    abort.addEventListener('abort', () => calls.push('late'))
    expect(calls).toEqual(['a'])
    expect(abort.reason).toBeInstanceOf(DOMException)
    expect((abort.reason as DOMException).name).toBe('AbortError')
    expect(abort.signal.aborted).toBe(true)
    expect(abort.signal.reason).toBe(abort.reason)
    expect(() => abort.throwIfAborted()).toThrow(abort.reason as DOMException)
  })

  it('aborts a signal asked for before, with the reason given, as an AbortController would', () => {
    const abort = new RequestAbort()
    const signal = abort.signal
    expect(abort.signal).toBe(signal)
    let seen: unknown
    signal.addEventListener('abort', () => (seen = signal.reason))
    abort.abort('shutdown')
    expect(seen).toBe('shutdown')
    expect(abort.reason).toBe('shutdown')
    const controller = new AbortController()
    controller.abort()
    expect(String(abort.signal.reason)).not.toBe(String(controller.signal.reason))
    expect(String(new RequestAbort().signal.reason)).toBe(String(new AbortController().signal.reason))
  })
})
