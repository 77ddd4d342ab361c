/**
 * A client that goes away stops the vendor calls made for it. On Node the gateway learns it from
 * the response's `close` (src/routes/caller-gone.ts), without building a full Request per
 * request; the vendor here holds the list request and tells when the gateway dropped it.
 */
import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { createAccount, routeVendor, startVendorSimulator, USERS_PATH, useGateway } from '../connectors/support/vendor-accounts'

/** Forwards to `target`, except list requests while `hold` is on: answered never, their close noted. */
function holdingProxy(target: string) {
  const state = { hold: false, held: 0, dropped: [] as number[] }
  const server: Server = createServer((req, res) => {
    if (state.hold && req.url?.startsWith('/v1/organizations/users')) {
      state.held++
      const at = Date.now()
      res.on('close', () => state.dropped.push(Date.now() - at))
      return
    }
    const upstream = httpRequest(`${target}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers)
      up.pipe(res)
    })
    req.pipe(upstream)
  })
  return { server, state }
}

describe('a client that goes away', () => {
  const gateway = useGateway({ sandbox: false, env: { UNIMETER_REQUEST_DEADLINE_MS: '20000', UNIMETER_VENDOR_TIMEOUT_MS: '20000' } })

  it('stops the vendor call it was waiting on', async () => {
    const g = gateway.g
    const sim = await startVendorSimulator('claude', { users: 5 })
    const proxy = holdingProxy(sim.baseUrl)
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve))
    try {
      routeVendor(g, 'claude', `http://127.0.0.1:${(proxy.server.address() as AddressInfo).port}`)
      const created = await createAccount(g, 'claude', { ...sim.context, ...sim.credentials })
      expect(created.status).toBe(201)
      const list = `${USERS_PATH}?integrated_account_id=${created.body.id}&limit=5`
      // Side loads cached first, so the held request is the list page itself.
      expect((await g.api(list)).status).toBe(200)
      proxy.state.hold = true
      const client = new AbortController()
      const pending = g.api(list, { signal: client.signal }).catch((err: Error) => err)
      for (let i = 0; i < 200 && proxy.state.held === 0; i++) await new Promise((r) => setTimeout(r, 10))
      expect(proxy.state.held).toBe(1)
      client.abort()
      await pending
      for (let i = 0; i < 200 && proxy.state.dropped.length === 0; i++) await new Promise((r) => setTimeout(r, 10))
      // Dropped when the client left, not at the 20 s deadline.
      expect(proxy.state.dropped).toHaveLength(1)
      expect(proxy.state.dropped[0]).toBeLessThan(5_000)
      // A request that finishes is never taken for a client that left.
      proxy.state.hold = false
      expect((await g.api(list)).status).toBe(200)
      expect(proxy.state.dropped).toHaveLength(1)
    } finally {
      proxy.server.closeAllConnections()
      await new Promise((resolve) => proxy.server.close(resolve))
      await sim.close()
    }
  })
})
