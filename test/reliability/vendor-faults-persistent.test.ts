/**
 * Vendor faults that do not go away: for every connector, the caller gets the contract's error
 * (right status, `truto_is_remote_error`, the vendor's body as `raw_response`) after a capped
 * number of attempts (counted by the simulator), within a bounded time. Errors that retrying
 * cannot fix (4xx, unreadable bodies, a retry-after beyond the cap) cost exactly one attempt.
 *
 * Gap: Limitr's get speaks WebSocket after an HTTP ticket request. The simulator kit injects
 * faults into HTTP only, so for Limitr the get faults hit the ticket request; faults inside the
 * socket (e.g. a handshake that never completes) are covered in test/connectors/limitr.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TransportFault } from '../../src/sandbox/simulator-kit'
import type { TestGateway } from '../support/gateway'
import { connectorCases, liveConnector, type LiveConnector } from './support/connectors-under-test'
import { ask, expectEnvelope, RETRY_MAX, startFaultGateway } from './support/fault-gateway'

let g: TestGateway
beforeAll(async () => {
  g = await startFaultGateway()
})
afterAll(async () => {
  await g?.close()
})

interface PersistentCase {
  name: string
  fault: TransportFault
  status: number
  /** The error code, when the gateway (not the vendor's body) decides it. */
  code?: string
  attempts: number
}

const ALL = RETRY_MAX + 1

const cases: PersistentCase[] = [
  { name: '429 without retry-after', fault: { kind: 'rate-limit', retryAfter: null }, status: 429, attempts: ALL },
  { name: '500', fault: { kind: 'status', status: 500 }, status: 500, attempts: ALL },
  { name: '502', fault: { kind: 'status', status: 502 }, status: 502, attempts: ALL },
  { name: '503', fault: { kind: 'status', status: 503 }, status: 503, attempts: ALL },
  { name: '529 overloaded', fault: { kind: 'status', status: 529 }, status: 529, attempts: ALL },
  { name: 'connection reset mid-body', fault: { kind: 'reset' }, status: 502, code: 'remote_unreachable', attempts: ALL },
  { name: 'truncated body', fault: { kind: 'truncated' }, status: 502, code: 'remote_unreachable', attempts: ALL },
  { name: 'a response that never ends', fault: { kind: 'hang' }, status: 504, code: 'remote_timeout', attempts: ALL },
  { name: 'an HTML error page', fault: { kind: 'html-error', status: 502 }, status: 502, attempts: ALL },
  { name: 'malformed JSON (not retried)', fault: { kind: 'malformed-json' }, status: 502, code: 'invalid_remote_response', attempts: 1 },
  { name: '400 (not retried)', fault: { kind: 'status', status: 400, message: 'bad parameter' }, status: 400, attempts: 1 },
  { name: '403 (not retried)', fault: { kind: 'status', status: 403, message: 'not allowed' }, status: 403, attempts: 1 },
  { name: '404 (not retried)', fault: { kind: 'status', status: 404, message: 'no such thing' }, status: 404, attempts: 1 },
]

describe.each(connectorCases)('$id: persistent vendor faults end in the contract error', (c) => {
  let live: LiveConnector

  beforeAll(() => {
    live = liveConnector(g, c)
  })

  it.each(cases)('$name → $status after $attempts attempt(s)', async ({ fault, status, code, attempts }) => {
    live.reset()
    live.sim.faults.add({ fault, times: -1, path: live.vendorPath, method: live.method })
    const answer = await ask(g, live.listUrl('limit=5'))
    // A connector with an error mapping may turn a status its vendor never sends into the one
    // its body means (Limitly's UNAUTHORIZED code on a 403 is a 401): still a 4xx, never retried.
    const expected = c.mapsErrors && status < 500 && status !== 429 ? answer.status : status
    expect(expected >= 400 && expected < 500).toBe(status < 500)
    expectEnvelope(answer, expected, { truto_is_remote_error: true, ...(code ? { code } : {}) })
    expect(live.attempts()).toBe(attempts)
    if (fault.kind === 'html-error') expect(String(answer.body.raw_response)).toContain('<html>')
    // The vendor's own error body comes back as raw_response (each simulator shapes it its way).
    if (fault.kind === 'status') expect(answer.body.raw_response).toEqual(expect.anything())
  })

  it('passes a 429 whose retry-after exceeds the cap straight through, retry-after forwarded', async () => {
    live.reset()
    live.sim.faults.add({ fault: { kind: 'rate-limit', retryAfter: '3600' }, times: -1, path: live.vendorPath, method: live.method })
    const answer = await ask(g, live.listUrl('limit=5'))
    expectEnvelope(answer, 429, { truto_is_remote_error: true })
    expect(answer.headers.get('retry-after')).toBe('3600')
    expect(live.attempts()).toBe(1)
  })

  it('normalizes an HTTP-date retry-after beyond the cap to seconds', async () => {
    live.reset()
    const until = new Date(Date.now() + 3_600_000).toUTCString()
    live.sim.faults.add({ fault: { kind: 'rate-limit', retryAfter: until }, times: -1, path: live.vendorPath, method: live.method })
    const answer = await ask(g, live.listUrl('limit=5'))
    expectEnvelope(answer, 429, { truto_is_remote_error: true })
    const seconds = Number(answer.headers.get('retry-after'))
    expect(seconds).toBeGreaterThan(3500)
    expect(seconds).toBeLessThanOrEqual(3600)
    expect(live.attempts()).toBe(1)
  })

  it('a vendor 401 marks the account needs_reauth, and the next success clears it', async () => {
    live.reset()
    live.sim.faults.add({
      fault: { kind: 'status', status: 401, message: 'key revoked' },
      times: 1,
      path: live.vendorPath,
      method: live.method,
    })
    const failed = await ask(g, live.listUrl('limit=5'))
    expectEnvelope(failed, 401, { truto_is_remote_error: true })
    expect(live.attempts()).toBe(1)
    expect((await ask(g, `/integrated-account/${c.accountId}`)).body.status).toBe('needs_reauth')
    expect((await ask(g, live.listUrl('limit=5'))).status).toBe(200)
    expect((await ask(g, `/integrated-account/${c.accountId}`)).body.status).toBe('active')
  })

  it('get: a persistent 503 ends in a 503 envelope after capped attempts', async () => {
    live.reset()
    const first = await ask(g, live.listUrl('limit=1'))
    const id = String(first.body.result[0].id)
    live.reset()
    live.sim.faults.add({ fault: { kind: 'status', status: 503 }, times: -1, ...(live.getPath ? { path: live.getPath } : {}) })
    const answer = await ask(g, `/unified/${c.resource}/${encodeURIComponent(id)}?integrated_account_id=${c.accountId}`)
    expectEnvelope(answer, 503, { truto_is_remote_error: true })
    expect(live.getAttempts()).toBe(ALL)
  })
})
