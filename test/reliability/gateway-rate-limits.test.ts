/**
 * The gateway's own rate limits (contract §3.4): per API token and per integrated account, the
 * defaults (500 and 50 per 10 s) and configured values, 429 with Retry-After and `ratelimit-*`
 * on refusals, the headers on every authenticated response, and a refusal never reaching the
 * vendor (so the engine can never retry it).
 */
import { OpenAPIHono } from '@hono/zod-openapi'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppEnv } from '../../src/routes/create-app'
import { gatewayRateLimit } from '../../src/routes/rate-limit'
import { FixedWindowCounter } from '../../src/routes/rate-limit-window'
import { startTestGateway, type TestGateway } from '../support/gateway'
import { ask, expectEnvelope } from './support/fault-gateway'

const LIST = '/unified/usage-metering/users?integrated_account_id=sandbox-claude&limit=1'

describe('FixedWindowCounter', () => {
  it('allows `limit` hits per window, then refuses until the window ends', () => {
    const counter = new FixedWindowCounter(10_000)
    for (let i = 1; i <= 3; i++) expect(counter.hit('k', 3, 1_000)).toEqual({ limit: 3, remaining: 3 - i, resetMs: 10_000, allowed: true })
    expect(counter.hit('k', 3, 4_000)).toEqual({ limit: 3, remaining: 0, resetMs: 7_000, allowed: false })
    expect(counter.hit('other', 3, 4_000).allowed).toBe(true)
    expect(counter.hit('k', 3, 11_000)).toEqual({ limit: 3, remaining: 2, resetMs: 10_000, allowed: true })
  })

  it('keeps memory bounded whatever keys callers invent', () => {
    const counter = new FixedWindowCounter(10_000, 100)
    for (let i = 0; i < 10_000; i++) counter.hit(`account-${i}`, 50, 5_000)
    expect(counter.size).toBeLessThanOrEqual(100)
    // Expired windows go first: after the window, new keys never push the size past the bound.
    for (let i = 0; i < 1_000; i++) counter.hit(`late-${i}`, 50, 20_000)
    expect(counter.size).toBeLessThanOrEqual(100)
  })
})

describe('the middleware on its own', () => {
  it("keeps a vendor's ratelimit-* headers and adds its own otherwise", async () => {
    const app = new OpenAPIHono<AppEnv>()
    app.use('*', async (c, next) => {
      c.set('identity', { id: 'tok', name: 'test', role: 'admin', tenantId: null })
      await next()
    })
    app.use('*', gatewayRateLimit({ tokenLimit: 5, accountLimit: 2, windowMs: 10_000 }))
    app.get('/vendor', (c) => c.json({}, 200, { 'ratelimit-limit': '110;w=10', 'ratelimit-remaining': '109' }))
    app.get('/plain', (c) => c.json({}))
    const vendor = await app.request('/vendor')
    expect(vendor.headers.get('ratelimit-limit')).toBe('110;w=10')
    expect(vendor.headers.get('ratelimit-remaining')).toBe('109')
    const plain = await app.request('/plain?integrated_account_id=a')
    // The tighter budget is reported: the account's (2 per window, 1 left) beats the token's.
    expect(plain.headers.get('ratelimit-limit')).toBe('2')
    expect(plain.headers.get('ratelimit-remaining')).toBe('1')
  })
})

describe('defaults: 50 per account and 500 per token per 10 s', () => {
  let g: TestGateway
  beforeAll(async () => {
    // Empty values fall back to the defaults the harness otherwise raises for unrelated suites.
    g = await startTestGateway({
      env: { UNIMETER_RATE_LIMIT_TOKEN: '', UNIMETER_RATE_LIMIT_ACCOUNT: '', UNIMETER_RATE_LIMIT_WINDOW_MS: '' },
      simulator: { users: 3 },
    })
  })
  afterAll(async () => {
    await g?.close()
  })

  it('the 51st request naming one account in a window gets 429 without reaching the vendor', async () => {
    const sim = g.sandbox!.simulators.get('claude')!
    let last = await ask(g, LIST)
    expect(last.headers.get('ratelimit-limit')).toBe('50')
    expect(last.headers.get('ratelimit-remaining')).toBe('49')
    for (let i = 2; i <= 50; i++) last = await ask(g, LIST)
    expect(last.status).toBe(200)
    expect(last.headers.get('ratelimit-remaining')).toBe('0')
    const vendorCalls = sim.requests.length
    const refused = await ask(g, LIST)
    expectEnvelope(refused, 429, { code: 'rate_limited' })
    expect(refused.body.truto_is_remote_error).toBeUndefined()
    expect(refused.body.message).toMatch(/integrated account.*50 per 10 s/)
    expect(refused.body.truto_error_insight.rate_limit_error.value).toMatchObject({ scope: 'account', limit: 50, window_seconds: 10 })
    const retryAfter = Number(refused.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(retryAfter).toBeLessThanOrEqual(10)
    expect(refused.headers.get('ratelimit-limit')).toBe('50')
    expect(refused.headers.get('ratelimit-remaining')).toBe('0')
    expect(Number(refused.headers.get('ratelimit-reset'))).toBe(retryAfter)
    expect(sim.requests.length).toBe(vendorCalls)
    // Another account is a separate budget.
    expect((await ask(g, '/unified/usage-metering/users?integrated_account_id=sandbox-neon&limit=1')).status).toBe(200)
  })

  it('the 501st request of one token in a window gets 429; another token is unaffected', async () => {
    const res = await g.api('/api-token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"busy"}' })
    const { token } = (await res.json()) as { token: string }
    const call = () => fetch(`${g.url}/integrated-account?limit=1`, { headers: { authorization: `Bearer ${token}` } })
    // 500 in parallel batches: the limit is about the count, not the pace.
    let remaining: string | null = null
    for (let batch = 0; batch < 10; batch++) {
      const answers = await Promise.all(Array.from({ length: 50 }, call))
      for (const a of answers) expect(a.status).toBe(200)
      remaining = answers.map((a) => a.headers.get('ratelimit-remaining')).sort((a, b) => Number(a) - Number(b))[0]
    }
    expect(remaining).toBe('0')
    const refused = await call()
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/)
    expect(await refused.json()).toMatchObject({
      statusCode: 429,
      code: 'rate_limited',
      truto_error_insight: { rate_limit_error: { value: { scope: 'token', limit: 500 } } },
    })
    expect((await g.api('/integrated-account?limit=1')).status).toBe(200)
  })
})

describe('configured limits', () => {
  let g: TestGateway
  beforeAll(async () => {
    g = await startTestGateway({
      env: { UNIMETER_RATE_LIMIT_TOKEN: '4', UNIMETER_RATE_LIMIT_ACCOUNT: '0', UNIMETER_RATE_LIMIT_WINDOW_MS: '1000' },
      simulator: { users: 3 },
    })
  })
  afterAll(async () => {
    await g?.close()
  })

  it('applies the configured token limit, 0 switches the account limit off, and the window resets', async () => {
    for (let i = 0; i < 4; i++) expect((await ask(g, LIST)).status).toBe(200)
    const refused = await ask(g, LIST)
    expectEnvelope(refused, 429, { code: 'rate_limited' })
    expect(refused.body.message).toMatch(/API token.*4 per 1 s/)
    // Wait what Retry-After says (a lower bound, never an upper one), then the budget is back.
    await new Promise((r) => setTimeout(r, Number(refused.headers.get('retry-after')) * 1000))
    const again = await ask(g, LIST)
    expect(again.status).toBe(200)
    expect(again.headers.get('ratelimit-limit')).toBe('4')
  })

  it('public paths carry no limit and are never refused', async () => {
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${g.url}/health`)
      expect(res.status).toBe(200)
      expect(res.headers.get('ratelimit-limit')).toBeNull()
    }
  })
})
