/** Node transport: undici with a shared keep-alive pool per vendor origin. */
import { EventEmitter } from 'node:events'
import { Agent, Client, Pool, request, type Dispatcher } from 'undici'
import { publicOnlyLookup } from './public-lookup'
import { TransportError, type HttpTransport } from './transport'

const UNDICI_TIMER_SLACK_MS = 1_000

/** undici errors meaning the request itself can never be sent (e.g. a header value with '…'). */
const UNSENDABLE_CODES = new Set(['UND_ERR_INVALID_ARG', 'ERR_INVALID_URL'])

/**
 * A pool client that does not take a request it refused for backpressure. undici's
 * Client.dispatch catches a request it cannot even build (InvalidArgumentError, e.g. a header
 * value outside Latin-1), hands the error to the request's handler and returns false. Pool
 * reads false as "this client is full, wait for its 'drain'" and stops using it, but a client
 * that queued nothing never drains: each refused request took one of the pool's connections
 * for good, and once all of them were gone every request to that vendor waited in the pool's
 * queue forever (issue 12: 16 creations × 4 attempts = the 64 connections). A refusal leaves
 * the client exactly as free as it was, so say so.
 */
class RefusalSafeClient extends Client {
  override dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const sizeBefore = this.stats.size
    const free = super.dispatch(opts, handler)
    if (free || this.stats.size !== sizeBefore) return free
    return this.stats.size < (this.pipelining || 1)
  }
}

const refusalSafePool = (origin: string | URL, opts: object): Dispatcher =>
  new Pool(origin, { ...(opts as Pool.Options), factory: (o, clientOpts) => new RefusalSafeClient(o, clientOpts as Client.Options) })

/**
 * One vendor call's abort: the caller's, or the call's own timeout. undici takes an EventEmitter
 * with `aborted` and `reason` as a request's signal, and this is one: an AbortController cost
 * 13–40 µs to build on Node 20 (new AbortController() in a loop, and one per event-loop turn),
 * more than the rest of a call's bookkeeping together (issue 16, fifth round).
 */
class CallAbort extends EventEmitter {
  aborted = false
  reason: unknown = undefined

  abort(reason: unknown): void {
    if (this.aborted) return
    this.aborted = true
    // As AbortController.abort() without a reason gives it.
    this.reason = reason ?? new DOMException('This operation was aborted', 'AbortError')
    this.emit('abort')
  }
}

/**
 * Settles as soon as `signal` aborts, even before undici has started the request. undici applies
 * an abort only once a request reaches a connection, so one waiting for a free connection (or
 * still connecting) would wait as long as the queue does, past any deadline. An abandoned request
 * that starts later is aborted by undici at once (its signal already is); its outcome is dropped.
 */
function untilAborted(pending: Promise<Dispatcher.ResponseData>, signal: CallAbort): Promise<Dispatcher.ResponseData> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      reject(signal.reason)
      pending.then(
        (res) => res.body.destroy(),
        () => {},
      )
    }
    if (signal.aborted) return onAbort()
    signal.once('abort', onAbort)
    pending.then(
      (res) => (signal.removeListener('abort', onAbort), resolve(res)),
      (err) => (signal.removeListener('abort', onAbort), reject(err)),
    )
  })
}

/**
 * The whole body as UTF-8 text, refused past `maxBytes`. Read by 'data' events rather than an
 * async iterator: a vendor page arrives in a few chunks, and the iterator's promise per chunk
 * showed in the list path's profile (issue 16). A failure mid-body (abort, timeout, reset)
 * rejects with the stream's error, as the iterator threw it.
 */
function readText(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    body.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBytes) {
        reject(new TransportError('too_large', `vendor response is larger than ${maxBytes} bytes`))
        body.destroy()
      } else chunks.push(chunk)
    })
    body.once('error', reject)
    body.once('end', () => resolve((chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)).toString('utf8')))
  })
}

export function createUndiciTransport(options: { connections?: number } = {}): HttpTransport & { close(): Promise<void> } {
  const pool = {
    connections: options.connections ?? 64,
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
    pipelining: 1,
    factory: refusalSafePool,
  }
  const agent = new Agent(pool)
  // Its own pool, so a connection opened without the check is never reused for a checked request.
  const publicAgent = new Agent({ ...pool, connect: { lookup: publicOnlyLookup } })
  const transport = async (req: Parameters<HttpTransport>[0]) => {
    // One signal per call, for the caller's abort and this call's timeout. Not AbortSignal.any: on
    // Node 20 each one stays registered on the caller's long-lived signal (a 10,000-page stream
    // export kept 10,000 of them, nodejs/node#55351); this listener is removed when the call ends.
    const signal = new CallAbort()
    let timedOut = false
    const timer = setTimeout(() => ((timedOut = true), signal.abort(new DOMException('vendor timeout', 'TimeoutError'))), req.timeoutMs)
    const onCallerAbort = () => signal.abort(req.signal?.reason)
    if (req.signal?.aborted) onCallerAbort()
    else req.signal?.addEventListener('abort', onCallerAbort, { once: true })
    let res: Dispatcher.ResponseData | undefined
    try {
      res = await untilAborted(
        request(req.url, {
          method: req.method as 'GET',
          headers: req.headers,
          body: req.body,
          dispatcher: req.publicOnly ? publicAgent : agent,
          signal,
          // undici's own timers run on a coarse clock and fire up to ~0.5 s early (a 750 ms
          // timeout ends after 540 ms): the precise AbortSignal above governs, these are a backstop.
          headersTimeout: req.timeoutMs + UNDICI_TIMER_SLACK_MS,
          bodyTimeout: req.timeoutMs + UNDICI_TIMER_SLACK_MS,
        }),
        signal,
      )
      const body = await readText(res.body, req.maxBytes)
      const headers: Record<string, string> = {}
      for (const k in res.headers) {
        const v = res.headers[k]
        if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v)
      }
      return { status: res.statusCode, headers, body }
    } catch (err) {
      // Whatever failed, the connection goes back to the pool (or is closed), never held.
      res?.body.destroy()
      if (err instanceof TransportError) throw err
      if (timedOut) throw new TransportError('timeout', `vendor did not answer within ${req.timeoutMs} ms`)
      if (req.signal?.aborted) throw new TransportError('aborted', 'request was cancelled')
      const e = err as Error & { code?: string }
      // Should the backstop fire first, it is still a timeout (504), not an unreachable vendor (502).
      if (e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT') {
        throw new TransportError('timeout', `vendor did not answer within ${req.timeoutMs} ms`)
      }
      if (e.code && UNSENDABLE_CODES.has(e.code)) throw new TransportError('unsendable', e.message)
      throw new TransportError('network', `${e.code ?? e.name}: ${e.message}`)
    } finally {
      clearTimeout(timer)
      req.signal?.removeEventListener('abort', onCallerAbort)
    }
  }
  return Object.assign(transport, { close: () => Promise.all([agent.close(), publicAgent.close()]).then(() => undefined) })
}
