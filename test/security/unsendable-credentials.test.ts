/**
 * Issue 12 §2: a credential the connector's auth scheme cannot carry is refused with 400
 * `invalid_credential` naming the field, before any vendor call, on create and on PATCH. Which
 * fields are checked comes from each connector's declared auth scheme and header templates, so
 * every connector is covered from the registry; a field that only travels in a JSON body
 * (Limitr's token) may hold any text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { baseUrlOverrideKey } from '../../src/config/settings'
import { headerPlaces } from '../../src/engine/header-fields'
import { startTestGateway, type TestGateway } from '../support/gateway'
import { connectorCases } from '../reliability/support/connectors-under-test'
import { connectorModules } from '../../connectors'

let g: TestGateway

beforeAll(async () => {
  g = await startTestGateway({ simulator: { users: 3 } })
  for (const c of connectorCases) g.services.env[baseUrlOverrideKey(c.id)] = g.sandbox!.simulators.get(c.id)!.baseUrl
})
afterAll(async () => {
  await g?.close()
})

const send = (method: string, path: string, body: unknown) =>
  g.json(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(20_000) })

/** Every (connector, field) the connector sends in a header, from its own definition. */
const headerFields = connectorModules.flatMap((m) =>
  [...headerPlaces(m.definition).keys()].map((field) => ({
    id: m.definition.id,
    field,
    kinds: headerPlaces(m.definition)
      .get(field)!
      .map((p) => p.kind),
  })),
)

/** Values no header can carry, each with what the message must say. */
const unsendable = [
  { what: 'the "…" of an example', value: (key: string) => `${key.slice(0, 8)}…`, says: /visible ASCII.*U\+2026.*placeholder/ },
  { what: 'a Latin-1 letter', value: (key: string) => `${key}é`, says: /visible ASCII.*U\+00E9/ },
  { what: 'an emoji', value: (key: string) => `🔑${key}`, says: /visible ASCII.*U\+1F511 ?.*position 1/ },
  { what: 'a tab', value: (key: string) => `${key}\tx`, says: /visible ASCII.*U\+0009/ },
  { what: 'a trailing space', value: (key: string) => `${key} `, says: /start or end with a space/ },
]

function liveContext(id: string): Record<string, string> {
  const sim = g.sandbox!.simulators.get(id)!
  return { ...sim.context, ...sim.credentials }
}

function vendorRequests(id: string): number {
  return g.sandbox!.simulators.get(id)!.requests.length
}

describe('which fields the auth schemes put in headers', () => {
  it('covers the header, bearer and basic schemes of the shipped connectors, and not a token sent in a body', () => {
    expect(headerFields).toEqual(
      expect.arrayContaining([
        { id: 'claude', field: 'api_key', kinds: ['value'] },
        { id: 'neon', field: 'api_key', kinds: ['bearer'] },
        { id: 'cursor', field: 'api_key', kinds: ['basic-user'] },
      ]),
    )
    expect(headerFields.find((f) => f.id === 'limitr')).toBeUndefined()
  })
})

describe.each(headerFields)('$id: context.$field is sent in a header', ({ id, field }) => {
  it.each(unsendable)('creating an account with $what is a 400 invalid_credential before any vendor call', async ({ value, says }) => {
    const before = vendorRequests(id)
    const context = liveContext(id)
    const { status, body } = await send('POST', '/integrated-account', {
      integration: id,
      // An optional key the sandbox account does not set (Claude's analytics key) starts from a stand-in.
      context: { ...context, [field]: value(context[field] ?? 'sk-ant-api01-stand-in') },
    })
    expect(status, JSON.stringify(body)).toBe(400)
    expect(body).toMatchObject({ statusCode: 400, code: 'invalid_credential', details: { field: `context.${field}` } })
    expect(body.message).toMatch(new RegExp(`^context\\.${field} `))
    expect(body.message).toMatch(says)
    expect(body.truto_is_remote_error).toBeUndefined()
    expect(vendorRequests(id)).toBe(before)
  })

  it('a PATCH with such a key is refused the same way, and the account keeps its working key', async () => {
    const created = await send('POST', '/integrated-account', { integration: id, context: liveContext(id) })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const before = vendorRequests(id)
    const patched = await send('PATCH', `/integrated-account/${created.body.id}`, {
      context: { [field]: `${liveContext(id)[field] ?? 'sk-ant-api01-stand-in'}…` },
    })
    expect(patched.status, JSON.stringify(patched.body)).toBe(400)
    expect(patched.body).toMatchObject({ code: 'invalid_credential', details: { field: `context.${field}` } })
    expect(vendorRequests(id)).toBe(before)
    const list = await g.json(`/unified/usage-metering/users?integrated_account_id=${created.body.id}&limit=1`)
    expect(list.status, JSON.stringify(list.body)).toBe(200)
  })
})

describe('what each scheme cannot carry beyond visible ASCII', () => {
  it('a Bearer token cannot contain a space (neon)', async () => {
    const { status, body } = await send('POST', '/integrated-account', {
      integration: 'neon',
      context: { ...liveContext('neon'), api_key: 'napi_abc def' },
    })
    expect(status).toBe(400)
    expect(body).toMatchObject({
      code: 'invalid_credential',
      details: { field: 'context.api_key' },
      message: expect.stringMatching(/spaces.*Bearer/),
    })
  })

  it('a Basic user name cannot contain ":" (cursor sends the key as the user name)', async () => {
    const { status, body } = await send('POST', '/integrated-account', { integration: 'cursor', context: { api_key: 'key_abc:def' } })
    expect(status).toBe(400)
    expect(body).toMatchObject({
      code: 'invalid_credential',
      details: { field: 'context.api_key' },
      message: expect.stringMatching(/":".*Basic/),
    })
  })

  it('a token sent in a JSON body (limitr) may hold any text: the vendor, not unimeter, judges it', async () => {
    const before = vendorRequests('limitr')
    const { status, body } = await send('POST', '/integrated-account', {
      integration: 'limitr',
      context: { ...liveContext('limitr'), token: 'lmlive_…' },
    })
    expect(body.code).not.toBe('invalid_credential')
    expect(status, JSON.stringify(body)).toBe(401)
    expect(body.truto_is_remote_error).toBe(true)
    expect(vendorRequests('limitr')).toBeGreaterThan(before)
  })
})
