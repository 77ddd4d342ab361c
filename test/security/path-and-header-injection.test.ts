/**
 * Ids and query values cannot steer the vendor request: for every connector, a hostile id
 * (`../`, encoded slashes, dot segments, CR/LF, unicode, random) either is refused with 400
 * before any vendor call, or reaches the vendor as exactly one path segment of an endpoint the
 * connector defines. CR/LF never becomes a header, whether it comes through an id, a query value
 * or an account's credentials.
 */
import type { IncomingMessage } from 'node:http'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { baseUrlOverrideKey } from '../../src/config/settings'
import { startTestGateway, type TestGateway } from '../support/gateway'
import { connectorCases, liveConnector } from '../reliability/support/connectors-under-test'
import { answerOf, expectWellFormed, hostileId, type Answer } from './support/hostile'
import { allowedVendorPaths, isAllowedVendorPath } from './support/vendor-paths'

let g: TestGateway
/** Header names every simulator received, to prove no injected header ever arrived. */
const seenHeaders = new Set<string>()

beforeAll(async () => {
  g = await startTestGateway({ env: { UNIMETER_RETRY_MAX: '0', UNIMETER_ALLOW_PRIVATE_URLS: 'true' }, simulator: { users: 4 } })
  for (const sim of g.sandbox!.simulators.values()) {
    sim.server.on('request', (req: IncomingMessage) => Object.keys(req.headers).forEach((h) => seenHeaders.add(h)))
  }
  for (const c of connectorCases) g.services.env[baseUrlOverrideKey(c.id)] = g.sandbox!.simulators.get(c.id)!.baseUrl
})
afterAll(async () => {
  await g?.close()
})

const call = (path: string, init: RequestInit = {}): Promise<Answer> => answerOf(g, path, init)

describe.each(connectorCases)('$id: ids cannot change the vendor path', (c) => {
  it('a hostile id is refused or lands in exactly one segment of a defined endpoint', async () => {
    const live = liveConnector(g, c)
    const patterns = allowedVendorPaths(g.services.connectors.get(c.id)!, live.sim)
    await fc.assert(
      fc.asyncProperty(hostileId, async (id) => {
        live.reset()
        const answer = await call(`/unified/${c.resource}/${encodeURIComponent(id)}?integrated_account_id=${c.accountId}`)
        expectWellFormed(answer, JSON.stringify(id))
        for (const req of live.sim.requests) {
          expect(isAllowedVendorPath(patterns, req.path), `${JSON.stringify(id)} → ${req.method} ${req.path}`).toBe(true)
        }
        // A direct get puts the id into the path: the vendor must see it whole, not normalized.
        if (live.getPath && live.getPath !== live.vendorPath && live.sim.requests.length > 0) {
          const segment = live.sim.requests[0].path.slice(live.getPath.length).split('/')[0]
          expect(decodeURIComponent(segment)).toBe(id)
        }
      }),
      { numRuns: 60 },
    )
  })
})

describe('CR/LF never becomes a header', () => {
  it('an id with CR/LF is refused with 400 invalid_id', async () => {
    const answer = await call(
      `/unified/usage-metering/users/${encodeURIComponent('u\r\nX-Injected: 1')}?integrated_account_id=sandbox-claude`,
    )
    expect(answer.status).toBe(400)
    expect(answer.body).toMatchObject({ code: 'invalid_id', message: expect.stringMatching(/control characters/) })
  })

  it('query values with CR/LF travel as data in the query string, never as headers', async () => {
    const sim = g.sandbox!.simulators.get('claude')!
    const value = 'x\r\nX-Injected: 1'
    const answer = await call(
      `/unified/usage-metering/users?integrated_account_id=sandbox-claude&limit=1&remote_query[note]=${encodeURIComponent(value)}&x_note=${encodeURIComponent(value)}`,
    )
    expect(answer.status, answer.text).toBe(200)
    expectWellFormed(answer, 'crlf query')
    const forwarded = sim.requests.filter((r) => r.path === '/v1/organizations/users').pop()
    expect(new URLSearchParams(forwarded?.query ?? '').get('note')).toBe(value)
    expect(seenHeaders.has('x-injected')).toBe(false)
  })

  it.each(connectorCases)('$id: a credential with CR/LF is refused when the account is created', async (c) => {
    const live = liveConnector(g, c)
    const field = g.services.connectors.get(c.id)!.credentials.find((f) => f.secret && f.required)!
    const context = {
      ...live.sim.context,
      ...live.sim.credentials,
      [field.name]: `${live.sim.credentials[field.name] ?? 'k'}\r\nX-Injected: 1`,
    }
    const answer = await call('/integrated-account', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ integration: c.id, context }),
    })
    expect(answer.status, answer.text).toBe(400)
    expect(answer.body.message).toMatch(new RegExp(`context\\.${field.name}`))
    expect(seenHeaders.has('x-injected')).toBe(false)
  })
})
