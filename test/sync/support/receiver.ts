/**
 * A webhook receiver for tests: a real node:http server on loopback that records every request
 * (headers and raw body) and answers with whatever status `respond` picks for it.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Received {
  headers: IncomingHttpHeaders
  raw: string
  body: any
  status: number
}

export interface Receiver {
  url: string
  received: Received[]
  /** Resolves once `done(received)` holds (checked after each request). */
  until(done: (received: Received[]) => boolean): Promise<void>
  close(): Promise<void>
}

export async function startReceiver(respond: (body: any, received: Received[]) => number): Promise<Receiver> {
  const received: Received[] = []
  const waiters: Array<{ done: (r: Received[]) => boolean; resolve: () => void }> = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8')
      const body = JSON.parse(raw)
      const status = respond(body, received)
      received.push({ headers: req.headers, raw, body, status })
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'not now')
      for (const w of [...waiters]) {
        if (!w.done(received)) continue
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve()
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    until: (done) => (done(received) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ done, resolve }))),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
