/** Node transport: undici with a shared keep-alive pool per vendor origin. */
import { Agent, request } from 'undici'
import { publicOnlyLookup } from './public-lookup'
import { TransportError, type HttpTransport } from './transport'

const UNDICI_TIMER_SLACK_MS = 1_000

export function createUndiciTransport(options: { connections?: number } = {}): HttpTransport & { close(): Promise<void> } {
  const pool = {
    connections: options.connections ?? 64,
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
    pipelining: 1,
  }
  const agent = new Agent(pool)
  // Its own pool, so a connection opened without the check is never reused for a checked request.
  const publicAgent = new Agent({ ...pool, connect: { lookup: publicOnlyLookup } })
  const transport = async (req: Parameters<HttpTransport>[0]) => {
    const timeout = AbortSignal.timeout(req.timeoutMs)
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout
    try {
      const res = await request(req.url, {
        method: req.method as 'GET',
        headers: req.headers,
        body: req.body,
        dispatcher: req.publicOnly ? publicAgent : agent,
        signal,
        // undici's own timers run on a coarse clock and fire up to ~0.5 s early (a 750 ms
        // timeout ends after 540 ms): the precise AbortSignal above governs, these are a backstop.
        headersTimeout: req.timeoutMs + UNDICI_TIMER_SLACK_MS,
        bodyTimeout: req.timeoutMs + UNDICI_TIMER_SLACK_MS,
      })
      const chunks: Buffer[] = []
      let size = 0
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length
        if (size > req.maxBytes) {
          res.body.destroy()
          throw new TransportError('too_large', `vendor response is larger than ${req.maxBytes} bytes`)
        }
        chunks.push(chunk as Buffer)
      }
      const headers: Record<string, string> = {}
      for (const [k, v] of Object.entries(res.headers)) {
        if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v)
      }
      return { status: res.statusCode, headers, body: Buffer.concat(chunks).toString('utf8') }
    } catch (err) {
      if (err instanceof TransportError) throw err
      if (timeout.aborted) throw new TransportError('timeout', `vendor did not answer within ${req.timeoutMs} ms`)
      if (req.signal?.aborted) throw new TransportError('aborted', 'request was cancelled')
      const e = err as Error & { code?: string }
      // Should the backstop fire first, it is still a timeout (504), not an unreachable vendor (502).
      if (e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT') {
        throw new TransportError('timeout', `vendor did not answer within ${req.timeoutMs} ms`)
      }
      throw new TransportError('network', `${e.code ?? e.name}: ${e.message}`)
    }
  }
  return Object.assign(transport, { close: () => Promise.all([agent.close(), publicAgent.close()]).then(() => undefined) })
}
