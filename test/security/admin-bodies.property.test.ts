/**
 * Property-based: hostile bodies on every admin write endpoint the OpenAPI document lists (so
 * endpoints added later are covered too): random JSON, schema fields with wrong types,
 * prototype-polluting keys at every level, deep nesting, huge strings, invalid JSON and wrong
 * content types. Never a gateway 5xx, always the envelope with a message, Object.prototype never
 * touched, and the gateway still healthy afterwards.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { baseUrlOverrideKey } from '../../src/config/settings'
import { startTestGateway, type TestGateway } from '../support/gateway'
import { answerOf, expectWellFormed, PROTO_KEYS, prototypeIntact, type Answer } from './support/hostile'

let g: TestGateway
let accountId: string

interface Operation {
  method: string
  path: string
  fields: string[]
}
let operations: Operation[] = []

beforeAll(async () => {
  g = await startTestGateway({ env: { UNIMETER_RETRY_MAX: '0' }, simulator: { users: 3 } })
  const sim = g.sandbox!.simulators.get('claude')!
  g.services.env[baseUrlOverrideKey('claude')] = sim.baseUrl
  const res = await g.api('/integrated-account', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ integration: 'claude', context: { api_key: sim.credentials.api_key } }),
  })
  expect(res.status).toBe(201)
  accountId = ((await res.json()) as { id: string }).id
  const doc = (await (await fetch(`${g.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, any>> }
  const listed: Operation[] = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([m]) => ['post', 'patch', 'put'].includes(m))
      .map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        fields: Object.keys(op.requestBody?.content?.['application/json']?.schema?.properties ?? {}),
      })),
  )
  // Account creation is the richest body of all: keep it in even if the document ever drops it.
  if (!listed.some((o) => o.method === 'POST' && o.path === '/integrated-account')) {
    listed.push({ method: 'POST', path: '/integrated-account', fields: ['integration', 'tenant_id', 'context'] })
  }
  operations = listed
})
afterAll(async () => {
  await g?.close()
})

const protoObject = fc.constantFrom(
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"prototype":{"polluted":"yes"},"__proto__":[1]}',
)

const deep = fc.integer({ min: 20, max: 200 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`)

/** A JSON value as text; may embed prototype payloads and deep nesting as raw text. */
const jsonText: fc.Arbitrary<string> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  protoObject,
  deep,
  fc.constantFrom('null', '"x"', '12', '-1e309', 'true', '[]', '{}'),
  fc.string({ maxLength: 3000 }).map((s) => JSON.stringify(s.repeat(20))),
)

/** An object whose keys are the operation's own fields, prototype keys or noise. */
function bodyFor(fields: string[]): fc.Arbitrary<string> {
  const key = fc.oneof(fc.constantFrom(...fields, 'integration', 'context', ...PROTO_KEYS), fc.string({ maxLength: 10 }))
  const member = fc.tuple(key, fc.oneof(jsonText, fc.dictionary(key, jsonText, { maxKeys: 4 }).map(membersText)))
  return fc.oneof(
    {
      weight: 5,
      arbitrary: fc.array(member, { maxLength: 6 }).map((m) => `{${m.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
    },
    { weight: 2, arbitrary: jsonText },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
    { weight: 1, arbitrary: fc.constantFrom('{"integration":', '{"a":1,}', "{'a':1}", '\u0000', '{"a":"\\ud800"}', '') },
  )
}

function membersText(record: Record<string, string>): string {
  return `{${Object.entries(record)
    .map(([k, v]) => `${JSON.stringify(k)}:${v}`)
    .join(',')}}`
}

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  undefined,
)

async function send(op: Operation, body: string, type: string | undefined, id: string): Promise<Answer> {
  const path = op.path.replace(/\{[^}]+\}/g, encodeURIComponent(id))
  return answerOf(g, path, { method: op.method, headers: type ? { 'content-type': type } : {}, body })
}

describe('hostile admin bodies', () => {
  it('every admin write endpoint answers well-formed and the prototype stays clean', async () => {
    expect(operations.length).toBeGreaterThanOrEqual(3)
    for (const op of operations) {
      await fc.assert(
        fc.asyncProperty(bodyFor(op.fields), contentType, fc.constantFrom(accountId, 'nope', '..', '__proto__'), async (body, type, id) => {
          const answer = await send(op, body, type, id)
          expectWellFormed(answer, `${op.method} ${op.path} ${type}: ${body.slice(0, 200)}`)
          prototypeIntact()
        }),
        { numRuns: 40 },
      )
    }
    expect((await fetch(`${g.url}/health`)).status).toBe(200)
  })

  it('prototype keys in context are dropped, never stored or echoed', async () => {
    const res = await g.api(`/integrated-account/${accountId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: '{"context":{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"region":"eu"}}',
    })
    expect(res.status).toBe(200)
    const view = (await res.json()) as { context: Record<string, unknown> }
    expect(Object.keys(view.context)).not.toEqual(expect.arrayContaining(['constructor']))
    expect(JSON.stringify(view)).not.toContain('polluted')
    expect(view.context.region).toBe('eu')
    prototypeIntact()
  })
})
