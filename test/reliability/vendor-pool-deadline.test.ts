/**
 * Issue 12 §1: the request deadline holds in every state of the transport, including a request
 * waiting for a free connection. A gateway with one connection per vendor and a vendor timeout
 * far beyond the deadline: while a slow request holds that connection, a gateway request to the
 * same vendor is answered 504 with the contract's envelope at its deadline instead of waiting
 * for the slow one. No timing assertion beyond "answered, not hung" (a generous client budget).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TransportError } from '../../src/engine/http/transport'
import { startTestGateway, type TestGateway } from '../support/gateway'
import { connectorCases, liveConnector } from './support/connectors-under-test'
import { ask, expectEnvelope } from './support/fault-gateway'

let g: TestGateway

beforeAll(async () => {
  g = await startTestGateway({
    simulator: { users: 3 },
    env: { UNIMETER_VENDOR_CONNECTIONS: '1', UNIMETER_REQUEST_DEADLINE_MS: '1500', UNIMETER_VENDOR_TIMEOUT_MS: '120000' },
  })
})
afterAll(async () => {
  await g?.close()
})

describe('a request waiting for a vendor connection', () => {
  it('is answered 504 at the request deadline while a slow request holds the only connection', async () => {
    const live = liveConnector(
      g,
      connectorCases.find((c) => c.id === 'claude')!,
    )
    const { sim, vendorPath } = live
    live.reset()
    sim.faults.add([{ fault: { kind: 'hang' }, path: vendorPath, times: 1 }])
    const holder = new AbortController()
    // Another caller of the same vendor (a sync, a webhook, …) whose request may wait two minutes.
    const held = g.services.engine
      .transport({
        method: 'GET',
        url: `${sim.origin}${vendorPath}`,
        headers: { 'x-api-key': sim.credentials.api_key, 'anthropic-version': '2023-06-01' },
        timeoutMs: 120_000,
        maxBytes: 1 << 20,
        signal: holder.signal,
      })
      .catch((err: unknown) => err)
    while (live.attempts() === 0) await new Promise((resolve) => setTimeout(resolve, 10))
    try {
      const answer = await ask(g, '/unified/usage-metering/users?integrated_account_id=sandbox-claude&limit=2')
      expectEnvelope(answer, 504)
      expect(answer.body.code).toMatch(/deadline_exceeded|remote_timeout/)
      // The waiting request never reached the vendor: only the slow one did.
      expect(live.attempts()).toBe(1)
    } finally {
      holder.abort()
    }
    expect(await held).toBeInstanceOf(TransportError)
    // The connection is free again: the vendor answers the next caller.
    const after = await ask(g, '/unified/usage-metering/users?integrated_account_id=sandbox-claude&limit=2')
    expect(after.status, JSON.stringify(after.body)).toBe(200)
  }, 60_000)
})
