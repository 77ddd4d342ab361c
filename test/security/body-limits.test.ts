/**
 * Request body limits in the app shell: 1 MB (declared or streamed without a length) → 413, JSON
 * nested deeper than 32 levels → 400 before anything parses it, and the depth counter itself
 * checked against real nesting for arbitrary JSON.
 */
import { request } from 'node:http'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_BODY_BYTES } from '../../src/routes/create-app'
import { jsonNestingDepth, MAX_JSON_DEPTH } from '../../src/routes/json-depth-limit'
import { startTestGateway, TEST_TOKEN, type TestGateway } from '../support/gateway'

let g: TestGateway
beforeAll(async () => {
  g = await startTestGateway({ sandbox: false })
})
afterAll(async () => {
  await g?.close()
})

const post = (body: BodyInit, headers: Record<string, string> = { 'content-type': 'application/json' }, extra: RequestInit = {}) =>
  g.api('/api-token', { method: 'POST', headers, body, ...extra })

const nested = (depth: number) => `{"name":${'['.repeat(depth - 1)}"x"${']'.repeat(depth - 1)}}`

describe('body size', () => {
  it('a declared body over 1 MB gets 413 with the envelope', async () => {
    const res = await post(JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES) }))
    expect(res.status).toBe(413)
    expect(await res.json()).toMatchObject({
      statusCode: 413,
      code: 'payload_too_large',
      message: expect.stringMatching(/limited to 1048576 bytes/),
    })
  })

  it('a streamed body without a length is cut off at 1 MB too', async () => {
    // node:http on its own connection: the gateway answers before the body ends and closes the
    // socket, which must not be one a later request would reuse.
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        `${g.url}/api-token`,
        { method: 'POST', headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' } },
        (res) => {
          let text = ''
          res.on('data', (c: Buffer) => (text += c.toString()))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
        },
      )
      req.on('error', reject)
      const chunk = 'x'.repeat(64 * 1024)
      // Twice the limit at most, without content-length (chunked): the gateway must stop reading.
      let sent = 0
      const write = () => {
        while (sent < 2 * MAX_BODY_BYTES && !req.destroyed) {
          sent += chunk.length
          if (!req.write(chunk)) return void req.once('drain', write)
        }
        req.end()
      }
      write()
    })
    expect(status).toBe(413)
    expect(JSON.parse(body).code).toBe('payload_too_large')
  })

  it('a body just under the limit is read and validated normally', async () => {
    const res = await post(JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES - 100) }))
    expect(res.status).toBe(400)
    expect((await res.json()).message).toMatch(/name/)
  })
})

describe('JSON depth', () => {
  it(`${MAX_JSON_DEPTH} levels pass on to validation; ${MAX_JSON_DEPTH + 1} are refused first`, async () => {
    const ok = await post(nested(MAX_JSON_DEPTH))
    expect(ok.status).toBe(400)
    expect((await ok.json()).code).not.toBe('body_too_deep')
    const deep = await post(nested(MAX_JSON_DEPTH + 1))
    expect(deep.status).toBe(400)
    expect(await deep.json()).toMatchObject({ code: 'body_too_deep', message: expect.stringMatching(/nested more than 32 levels/) })
  })

  it('a megabyte of opening brackets is refused, not a stack overflow', async () => {
    const res = await post('['.repeat(MAX_BODY_BYTES - 1))
    expect(res.status).toBe(400)
    expect((await res.json()).code).toBe('body_too_deep')
    expect((await fetch(`${g.url}/health`)).status).toBe(200)
  })

  it('brackets inside strings do not count', async () => {
    const res = await post(JSON.stringify({ name: '['.repeat(50) + '{'.repeat(40) }))
    expect(res.status).toBe(201)
  })

  it('the depth count equals the real nesting of any JSON value', () => {
    const depthOf = (v: unknown): number =>
      v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v as Record<string, unknown>).map(depthOf)) : 0
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 40 }), (v) => {
        expect(jsonNestingDepth(JSON.stringify(v))).toBe(depthOf(v))
      }),
      { numRuns: 200 },
    )
  })
})
