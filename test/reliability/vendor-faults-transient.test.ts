/**
 * Vendor faults that go away: for every connector, the gateway retries and returns exactly the
 * records a clean call returns, after exactly the attempts the fault costs (counted by the
 * simulator), and waits at least as long as the vendor's retry-after asks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TransportFault } from '../../src/sandbox/simulator-kit'
import type { TestGateway } from '../support/gateway'
import { connectorCases, ids, liveConnector, type LiveConnector } from './support/connectors-under-test'
import { ask, RETRY_MAX, startFaultGateway } from './support/fault-gateway'

let g: TestGateway
beforeAll(async () => {
  g = await startFaultGateway()
})
afterAll(async () => {
  await g?.close()
})

interface TransientCase {
  name: string
  fault: TransportFault
  /** Requests the fault hits; the next one succeeds. */
  times: number
}

const cases: TransientCase[] = [
  { name: '429 without retry-after (backoff)', fault: { kind: 'rate-limit', retryAfter: null }, times: RETRY_MAX },
  { name: '429 with retry-after: 0', fault: { kind: 'rate-limit', retryAfter: '0' }, times: 1 },
  { name: '500', fault: { kind: 'status', status: 500 }, times: 1 },
  { name: '502', fault: { kind: 'status', status: 502 }, times: 1 },
  { name: '503 twice', fault: { kind: 'status', status: 503 }, times: RETRY_MAX },
  { name: '529 overloaded', fault: { kind: 'status', status: 529 }, times: 1 },
  { name: 'connection reset mid-body', fault: { kind: 'reset' }, times: 1 },
  { name: 'truncated body', fault: { kind: 'truncated' }, times: 1 },
  { name: 'a response that never ends (timeout)', fault: { kind: 'hang' }, times: 1 },
  { name: 'an HTML error page from a proxy', fault: { kind: 'html-error', status: 502 }, times: 1 },
  { name: 'a slow answer inside the timeout', fault: { kind: 'delay', ms: 150 }, times: 0 },
]

describe.each(connectorCases)('$id: transient vendor faults are retried away', (c) => {
  let live: LiveConnector
  let clean: string[]
  const page = 'limit=5'

  beforeAll(async () => {
    live = liveConnector(g, c)
    live.reset()
    const answer = await ask(g, live.listUrl(page))
    expect(answer.status, JSON.stringify(answer.body)).toBe(200)
    clean = ids(answer.body.result)
    expect(clean.length).toBe(5)
  })

  it.each(cases)('$name', async ({ fault, times }) => {
    live.reset()
    // A delay is not a failure: it is queued once and must cost no retry.
    live.sim.faults.add({ fault, times: Math.max(1, times), path: live.vendorPath, method: live.method })
    const answer = await ask(g, live.listUrl(page))
    expect(answer.status, JSON.stringify(answer.body)).toBe(200)
    expect(ids(answer.body.result)).toEqual(clean)
    expect(answer.body.is_partial_response).toBeUndefined()
    expect(live.attempts()).toBe(times + 1)
    expect(live.sim.faults.pending).toBe(0)
  })

  it('honours retry-after in seconds: the retry comes no sooner than asked', async () => {
    live.reset()
    live.sim.faults.add({ fault: { kind: 'rate-limit', retryAfter: '1' }, times: 1, path: live.vendorPath, method: live.method })
    const answer = await ask(g, live.listUrl(page))
    expect(answer.status).toBe(200)
    expect(ids(answer.body.result)).toEqual(clean)
    const [first, second] = live.arrivals()
    expect(live.attempts()).toBe(2)
    // Lower bound only (never an upper one): the engine slept for the whole second it was asked.
    expect(second - first).toBeGreaterThanOrEqual(1000 - 5)
  })

  it('honours retry-after as an HTTP date', async () => {
    live.reset()
    // HTTP dates have whole seconds: two seconds ahead leaves between one and two to wait.
    const until = new Date(Date.now() + 2000).toUTCString()
    live.sim.faults.add({ fault: { kind: 'rate-limit', retryAfter: until }, times: 1, path: live.vendorPath, method: live.method })
    const answer = await ask(g, live.listUrl(page))
    expect(answer.status).toBe(200)
    expect(ids(answer.body.result)).toEqual(clean)
    expect(live.attempts()).toBe(2)
    expect(live.arrivals()[1]).toBeGreaterThanOrEqual(Date.parse(until) - 20)
  })

  it('retries a fault on a later page and the walk stays whole', async () => {
    live.reset()
    const whole = await ask(g, live.listUrl('limit=100'))
    expect(whole.status).toBe(200)
    live.reset()
    // The second vendor request fails once; the walk must still return every record once.
    live.sim.faults.add({ fault: { kind: 'status', status: 503 }, times: 1, skip: 1, path: live.vendorPath, method: live.method })
    const first = await ask(g, live.listUrl(page))
    const seen = ids(first.body.result)
    let cursor = first.body.next_cursor
    while (cursor) {
      const next = await ask(g, live.listUrl(`${page}&next_cursor=${encodeURIComponent(cursor)}`))
      expect(next.status, JSON.stringify(next.body)).toBe(200)
      seen.push(...ids(next.body.result))
      cursor = next.body.next_cursor
    }
    expect(seen).toEqual(ids(whole.body.result))
  })
})
