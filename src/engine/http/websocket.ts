/**
 * A WebSocket conversation for custom protocols (Limitr Cloud): open with a connect timeout,
 * send text, wait for the reply frame a predicate accepts, close cleanly. Only the standard
 * browser WebSocket API is used, so the runtime injects the class: undici's on Node 20, the
 * global one on Workers. Failures are TransportErrors, which the engine turns into the
 * contract's 504 (timeout) and 502 (refused, dropped) errors.
 */
import { TransportError } from './transport'

/** The part of the standard WebSocket API used here. */
export interface WebSocketLike {
  readonly readyState: number
  binaryType: string
  send(data: string): void
  close(code?: number, reason?: string): void
  // any: each runtime's WebSocket hands its own event type to the listener.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  addEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (event: any) => void): void
}

export type WebSocketFactory = (url: string) => WebSocketLike

const OPEN = 1

/** A binary frame, offered to waiters as this marker (its bytes are not kept). */
export const BINARY_FRAME: unique symbol = Symbol('binary frame')

export interface SocketSession {
  send(text: string): void
  /**
   * The first frame for which `accept` returns a value (other frames are skipped), within
   * `timeoutMs`: a text frame's text, or BINARY_FRAME for a binary one. A `"ping"` frame is
   * answered with `"pong"` and skipped.
   */
  waitFor<T>(accept: (frame: string | typeof BINARY_FRAME) => T | undefined, timeoutMs: number): Promise<T>
  /** Normal closure (1000); safe to call twice. */
  close(): void
}

interface OpenOptions {
  connectTimeoutMs: number
  signal?: AbortSignal
  /** Names the peer in error messages, e.g. "Limitr Cloud". */
  peer: string
}

export function openSocket(factory: WebSocketFactory, url: string, options: OpenOptions): Promise<SocketSession> {
  const { peer, signal } = options
  return new Promise<SocketSession>((resolve, reject) => {
    if (signal?.aborted) return reject(new TransportError('aborted', 'request was cancelled'))
    let ws: WebSocketLike
    try {
      ws = factory(url)
    } catch (err) {
      return reject(new TransportError('network', `${peer}: ${(err as Error).message}`))
    }
    ws.binaryType = 'arraybuffer'
    const frames: Array<string | typeof BINARY_FRAME> = []
    let waiter: ((frame: string | typeof BINARY_FRAME) => void) | undefined
    let failure: TransportError | undefined
    let onFailure: ((err: TransportError) => void) | undefined
    let opened = false

    const fail = (err: TransportError) => {
      if (failure) return
      failure = err
      onFailure?.(err)
    }
    const close = () => {
      if (ws.readyState <= OPEN) ws.close(1000, 'done')
    }
    const connectTimer = setTimeout(() => {
      fail(new TransportError('timeout', `${peer} did not accept the WebSocket connection within ${options.connectTimeoutMs} ms`))
      close()
    }, options.connectTimeoutMs)
    const onAbort = () => {
      fail(new TransportError('aborted', 'request was cancelled'))
      close()
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    onFailure = (err) => {
      clearTimeout(connectTimer)
      reject(err)
    }

    ws.addEventListener('open', () => {
      clearTimeout(connectTimer)
      if (failure) return close()
      opened = true
      resolve(session)
    })
    ws.addEventListener('message', (event: { data: unknown }) => {
      // Binary frames (Limitr's BSTF policy) are only a marker: nothing here reads their bytes.
      const frame = typeof event.data === 'string' ? event.data : BINARY_FRAME
      if (frame === 'ping') return ws.readyState === OPEN ? ws.send('pong') : undefined
      if (waiter) waiter(frame)
      else frames.push(frame)
    })
    // 'error' is always followed by 'close'; the close code says more.
    ws.addEventListener('close', (event: { code?: number; reason?: string }) => {
      clearTimeout(connectTimer)
      signal?.removeEventListener('abort', onAbort)
      const how = `(code ${event.code ?? '?'}${event.reason ? `: ${event.reason}` : ''})`
      fail(
        new TransportError(
          'network',
          opened ? `${peer} closed the WebSocket before replying ${how}` : `${peer} refused the WebSocket connection ${how}`,
        ),
      )
    })

    const session: SocketSession = {
      send(text) {
        if (failure) throw failure
        ws.send(text)
      },
      waitFor<T>(accept: (frame: string | typeof BINARY_FRAME) => T | undefined, timeoutMs: number): Promise<T> {
        return new Promise<T>((done, refuse) => {
          const timer = setTimeout(
            () => {
              finish()
              refuse(new TransportError('timeout', `${peer} did not reply within ${timeoutMs} ms`))
            },
            Math.max(0, timeoutMs),
          )
          const finish = () => {
            clearTimeout(timer)
            waiter = undefined
            onFailure = undefined
          }
          const offer = (frame: string | typeof BINARY_FRAME): boolean => {
            const value = accept(frame)
            if (value === undefined) return false
            finish()
            done(value)
            return true
          }
          while (frames.length > 0) if (offer(frames.shift()!)) return
          if (failure) {
            finish()
            return refuse(failure)
          }
          waiter = (frame) => void offer(frame)
          onFailure = (err) => {
            finish()
            refuse(err)
          }
        })
      },
      close() {
        clearTimeout(connectTimer)
        signal?.removeEventListener('abort', onAbort)
        close()
      },
    }
  })
}
