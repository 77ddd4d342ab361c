/**
 * Issue 12 §1: credentials that can never be sent must not wedge a vendor's connection pool for
 * every tenant. Sixteen creations with such a key (× 4 attempts each = the 64 connections of a
 * vendor's pool) used to leave every later call to that vendor hanging past the deadline. One
 * case per auth scheme: a header (Claude's x-api-key), a bearer token (Neon) and Basic (Cursor).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestGateway, type TestGateway } from '../support/gateway'

let g: TestGateway

beforeAll(async () => {
  g = await startTestGateway({
    simulator: { users: 3 },
    env: { UNIMETER_REQUEST_DEADLINE_MS: '5000', UNIMETER_VENDOR_TIMEOUT_MS: '3000' },
  })
  // Production accounts reach the simulators through the operator's base-URL overrides.
  for (const id of ['claude', 'neon', 'cursor'])
    g.services.env[`UNIMETER_${id.toUpperCase()}_BASE_URL`] = g.sandbox!.simulators.get(id)!.baseUrl
})
afterAll(async () => {
  await g?.close()
})

/** A generous bound: a wedged gateway never answers, a healthy one answers in milliseconds. */
const NO_HANG_MS = 20_000

const send = (method: string, path: string, body?: unknown) =>
  g.json(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(NO_HANG_MS),
  })

/** `stored`: what a list answers for an account that holds such a key (saved before the check). */
const schemes = [
  {
    scheme: 'x-api-key header',
    integration: 'claude',
    field: 'api_key',
    bad: 'sk-ant-admin01-…',
    stored: { status: 400, code: 'invalid_request', sent: 0 },
  },
  {
    scheme: 'bearer authorization',
    integration: 'neon',
    field: 'api_key',
    bad: 'napi_…',
    stored: { status: 400, code: 'invalid_request', sent: 0 },
  },
  // Basic credentials are base64 of UTF-8 (RFC 7617): sendable, and the vendor refuses the key once.
  {
    scheme: 'basic authorization',
    integration: 'cursor',
    field: 'api_key',
    bad: 'key_…',
    stored: { status: 401, code: expect.any(String), sent: 1 },
  },
]

describe.each(schemes)('a key that cannot be sent ($scheme)', ({ integration, field, bad, stored }) => {
  it(
    'is refused 16+ times with 400 invalid_credential, and the vendor still answers everyone after',
    async () => {
      const sim = g.sandbox!.simulators.get(integration)!
      const refused = []
      for (let i = 0; i < 17; i++)
        refused.push(await send('POST', '/integrated-account', { integration, context: { ...sim.context, [field]: bad } }))
      // First the wedge itself: the vendor still answers a valid key, within the deadline.
      const created = await send('POST', '/integrated-account', { integration, context: { ...sim.context, ...sim.credentials } })
      expect(created.status).toBe(201)
      const list = await send('GET', `/unified/usage-metering/users?integrated_account_id=${created.body.id}&limit=2`)
      expect(list.status).toBe(200)
      expect(list.body.result.length).toBeGreaterThan(0)
      // Then the refusals: the caller's mistake, named, never a vendor fault.
      for (const { status, body } of refused) {
        expect(status).toBe(400)
        expect(body).toMatchObject({ statusCode: 400, code: 'invalid_credential', details: { field: `context.${field}` } })
        expect(body.truto_is_remote_error).toBeUndefined()
      }
    },
    3 * NO_HANG_MS,
  )

  it(
    'held by a stored account, fails each call at once (never retried) and leaves the vendor to everyone else',
    async () => {
      const sim = g.sandbox!.simulators.get(integration)!
      const connector = g.services.connectors.get(integration)!
      const account = await g.services.accounts.create({ connector, context: { ...sim.context, [field]: bad } })
      const before = sim.requests.length
      for (let i = 0; i < 17; i++) {
        const { status, body } = await send('GET', `/unified/usage-metering/users?integrated_account_id=${account.id}&limit=2`)
        expect(status, JSON.stringify(body)).toBe(stored.status)
        expect(body).toMatchObject({ statusCode: stored.status, code: stored.code })
      }
      expect(sim.requests.length - before).toBe(17 * stored.sent)
      const list = await send('GET', `/unified/usage-metering/users?integrated_account_id=sandbox-${integration}&limit=2`)
      expect(list.status).toBe(200)
    },
    3 * NO_HANG_MS,
  )
})
