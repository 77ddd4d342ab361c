/**
 * Issue 16 §7: a stream export makes every vendor call of its 10,000 pages with one long-lived
 * signal (the request's). `AbortSignal.any` over such a signal keeps each composed signal
 * registered on it for the signal's whole life on Node 20 (nodejs/node#55351): 10,000 calls left
 * 10,000 behind. The transport composes its own per-call signal and unregisters it when the call
 * ends; this test counts what stays attached to the long-lived signal after 10,000 calls.
 */
import { getEventListeners } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TransportError } from '../../src/engine/http/transport'
import { createUndiciTransport } from '../../src/engine/http/undici-transport'

const CALLS = 10_000
const server = createServer((req, res) => {
  if (req.url === '/slow') return void setTimeout(() => res.end('{}'), 1_000)
  res.end('{"ok":true}')
})
let origin = ''
const transport = createUndiciTransport({ connections: 8 })
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await transport.close()
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

/** What stays attached to `signal`: its abort listeners and (Node's private set) dependent signals. */
function attachedTo(signal: AbortSignal): number {
  const dependants = Object.getOwnPropertySymbols(signal).find((s) => String(s) === 'Symbol(kDependantSignals)')
  const set = dependants ? (signal as unknown as Record<symbol, Set<unknown> | undefined>)[dependants] : undefined
  return getEventListeners(signal, 'abort').length + (set?.size ?? 0)
}

describe('a long-lived signal across 10,000 vendor calls', () => {
  it('is what the probe measures: AbortSignal.any leaves one behind per call', () => {
    const long = new AbortController()
    for (let i = 0; i < 100; i++) AbortSignal.any([long.signal, AbortSignal.timeout(60_000)])
    expect(attachedTo(long.signal)).toBe(100)
  })

  it('keeps nothing attached after the calls end, and still aborts and times out each call', async () => {
    const long = new AbortController()
    const req = { method: 'GET', url: `${origin}/`, headers: {}, timeoutMs: 5_000, maxBytes: 1024, signal: long.signal }
    for (let i = 0; i < CALLS; i += 50) {
      await Promise.all(Array.from({ length: 50 }, () => transport(req)))
    }
    expect(attachedTo(long.signal)).toBe(0)
    const timedOut = await transport({ ...req, url: `${origin}/slow`, timeoutMs: 50 }).catch((err: unknown) => err)
    expect(timedOut).toBeInstanceOf(TransportError)
    expect((timedOut as TransportError).kind).toBe('timeout')
    const pending = transport({ ...req, url: `${origin}/slow` }).catch((err: unknown) => err)
    long.abort()
    expect(((await pending) as TransportError).kind).toBe('aborted')
    expect(attachedTo(long.signal)).toBe(0)
  }, 120_000)
})
