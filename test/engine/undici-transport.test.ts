/**
 * The Node transport's pool under requests that fail before or while waiting for a connection
 * (issue 12 §1): real undici against a real HTTP server on loopback, with a tiny pool so that a
 * leaked connection shows after a handful of requests instead of 64.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TransportError, type HttpRequest } from '../../src/engine/http/transport'
import { createUndiciTransport } from '../../src/engine/http/undici-transport'

const seen: string[] = []
const hanging = new Set<ServerResponse>()
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  seen.push(req.url ?? '')
  if (req.url === '/hang') {
    hanging.add(res)
    return
  }
  res.setHeader('content-type', 'application/json')
  res.end('{"ok":true}')
})
let origin = ''
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  for (const res of hanging) res.destroy()
  await new Promise((resolve) => server.close(resolve))
})

const get = (path: string, extra: Partial<HttpRequest> = {}): HttpRequest => ({
  method: 'GET',
  url: `${origin}${path}`,
  headers: {},
  timeoutMs: 5_000,
  maxBytes: 1024,
  ...extra,
})

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (err: unknown) => err,
  )

describe('undici transport pool', () => {
  it('refuses requests that cannot be sent without ever losing a connection (header and bearer)', async () => {
    const transport = createUndiciTransport({ connections: 2 })
    try {
      const unsendable: Record<string, string>[] = [{ 'x-api-key': 'sk-ant-admin01-…' }, { authorization: 'Bearer napi_…' }]
      const refusals = []
      for (let i = 0; i < 20; i++) refusals.push(await failure(transport(get('/refused', { headers: unsendable[i % 2] }))))
      // Ten times the pool's size refused, and both connections still serve.
      const answers = await Promise.all([transport(get('/ok')), transport(get('/ok')), transport(get('/ok'))])
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200])
      expect(seen).not.toContain('/refused')
      for (const err of refusals) {
        expect(err).toBeInstanceOf(TransportError)
        expect(err).toMatchObject({ kind: 'unsendable', message: expect.stringMatching(/invalid (x-api-key|authorization) header/) })
      }
    } finally {
      await transport.close()
    }
  }, 20_000)

  it('ends a request waiting for a busy pool at its own timeout, and the pool serves again after', async () => {
    const transport = createUndiciTransport({ connections: 1 })
    const holder = new AbortController()
    // The only connection is held by a request that may wait a minute.
    const held = failure(transport(get('/hang', { timeoutMs: 60_000, signal: holder.signal })))
    while (!seen.includes('/hang')) await new Promise((resolve) => setTimeout(resolve, 10))
    try {
      const queued = await failure(transport(get('/queued', { timeoutMs: 300 })))
      expect(queued).toMatchObject({ kind: 'timeout' })
      holder.abort()
      expect(await held).toMatchObject({ kind: 'aborted' })
      // The abandoned request never reaches the vendor, and the freed connection serves the next one.
      expect((await transport(get('/ok'))).status).toBe(200)
      expect(seen).not.toContain('/queued')
    } finally {
      holder.abort()
      await transport.close()
    }
  }, 20_000)
})
