/**
 * A Worker deployed without its secrets (or with a broken one) answers every request with the
 * contract's error envelope naming what to set, and tries again on the next request rather than
 * staying broken. Runs the Worker's own fetch handler in Node: none of these paths reach the
 * database (the contract suite runs the same handler in workerd on D1).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { writeDocsBundle } from '../../src/runtime/workers/docs-bundle'
import { writeMappingBundle } from '../../src/runtime/workers/mapping-bundle'
import type { WorkerEnv } from '../../src/runtime/workers/worker-env'

let worker: { fetch(request: Request, env: WorkerEnv, ctx: { waitUntil(p: Promise<unknown>): void }): Promise<Response> }

beforeAll(async () => {
  // The Worker imports the generated mapping and docs bundles, which only a wrangler build writes otherwise.
  writeMappingBundle()
  writeDocsBundle()
  worker = (await import('../../src/runtime/workers/worker')).default
})

const KEY = Buffer.alloc(32, 3).toString('base64')
const call = (env: Record<string, unknown>) =>
  worker.fetch(new Request('http://worker.test/health'), env as WorkerEnv, { waitUntil: () => {} })

describe('a misconfigured Worker', () => {
  it.each([
    ['no encryption key', { DB: {} }, /UNIMETER_ENCRYPTION_KEY is not set: run `wrangler secret put UNIMETER_ENCRYPTION_KEY`/],
    ['a key of the wrong size', { DB: {}, UNIMETER_ENCRYPTION_KEY: 'c2hvcnQ=' }, /UNIMETER_ENCRYPTION_KEY must be 32 bytes/],
    ['an invalid setting', { DB: {}, UNIMETER_ENCRYPTION_KEY: KEY, UNIMETER_LOG_LEVEL: 'loud' }, /UNIMETER_LOG_LEVEL/],
    ['no D1 binding', { UNIMETER_ENCRYPTION_KEY: KEY }, /The D1 binding DB is missing/],
  ])('with %s: 500 configuration_error saying what to fix, on every request', async (_what, env, message) => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const res = await call(env)
      expect(res.status).toBe(500)
      expect(res.headers.get('content-type')).toMatch(/^application\/json/)
      const body = await res.json()
      expect(body).toMatchObject({ statusCode: 500, error: 'Internal Server Error', code: 'configuration_error' })
      expect(body.message).toMatch(message)
    }
  })

  it('starts on the first request after the secrets are set (a failed start is not kept)', async () => {
    expect((await call({ DB: {} })).status).toBe(500)
    // /health is public and reads nothing, so the never-queried binding object is enough here.
    const res = await call({ DB: {}, UNIMETER_ENCRYPTION_KEY: KEY, UNIMETER_ADMIN_TOKEN: 'configuration-test-admin-token' })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok' })
  })
})
