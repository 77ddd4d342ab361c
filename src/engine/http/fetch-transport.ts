/** Workers transport: the platform fetch, with the same timeout and size rules as undici. */
import { abortSignalOf } from '../request-abort'
import { TransportError, type HttpTransport } from './transport'

export function createFetchTransport(fetchImpl: typeof fetch = fetch): HttpTransport {
  return async (req) => {
    const timeout = AbortSignal.timeout(req.timeoutMs)
    const caller = abortSignalOf(req.signal)
    const signal = caller ? AbortSignal.any([caller, timeout]) : timeout
    try {
      const res = await fetchImpl(req.url, { method: req.method, headers: req.headers, body: req.body, signal })
      const reader = res.body?.getReader()
      const parts: Uint8Array[] = []
      let size = 0
      while (reader) {
        const { done, value } = await reader.read()
        if (done) break
        size += value.length
        if (size > req.maxBytes) {
          await reader.cancel()
          throw new TransportError('too_large', `vendor response is larger than ${req.maxBytes} bytes`)
        }
        parts.push(value)
      }
      const all = new Uint8Array(size)
      let at = 0
      for (const p of parts) {
        all.set(p, at)
        at += p.length
      }
      const headers: Record<string, string> = {}
      res.headers.forEach((v, k) => (headers[k.toLowerCase()] = v))
      return { status: res.status, headers, body: new TextDecoder().decode(all) }
    } catch (err) {
      if (err instanceof TransportError) throw err
      if (timeout.aborted) throw new TransportError('timeout', `vendor did not answer within ${req.timeoutMs} ms`)
      if (req.signal?.aborted) throw new TransportError('aborted', 'request was cancelled')
      throw new TransportError('network', (err as Error).message)
    }
  }
}
