/**
 * Failed authentication is limited per client address (src/routes/auth-failure-limit.ts): after
 * the configured number of bad or missing bearer tokens in a window, that address gets the
 * gateway's 429 envelope and headers — before its token is checked, so a right token is refused
 * too until the window ends — while other addresses, public paths and a gateway with the limit
 * off are unaffected. A second client address comes from binding the client socket to
 * 127.0.0.2 (still loopback, still talking to 127.0.0.1).
 */
import { Agent, fetch as undiciFetch } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientAddressKey } from '../../src/routes/auth-failure-limit'
import { FixedWindowCounter } from '../../src/routes/rate-limit-window'
import { startTestGateway, TEST_TOKEN, type TestGateway } from '../support/gateway'

interface Answer {
  status: number
  body: any
  headers: Headers
}

const fromSecondAddress = new Agent({ localAddress: '127.0.0.2' })
afterAll(async () => {
  await fromSecondAddress.close()
})

async function call(g: TestGateway, token: string | undefined, options: { path?: string; dispatcher?: Agent } = {}): Promise<Answer> {
  const res = await undiciFetch(`${g.url}${options.path ?? '/integrated-account'}`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    dispatcher: options.dispatcher,
    signal: AbortSignal.timeout(15_000),
  })
  return { status: res.status, body: await res.json(), headers: res.headers as unknown as Headers }
}

describe('FixedWindowCounter.peek', () => {
  it('reports what hit would decide, without counting', () => {
    const counter = new FixedWindowCounter(10_000)
    expect(counter.peek('k', 2, 1_000)).toEqual({ limit: 2, remaining: 2, resetMs: 10_000, allowed: true })
    counter.hit('k', 2, 1_000)
    counter.hit('k', 2, 1_000)
    for (let i = 0; i < 3; i++) expect(counter.peek('k', 2, 4_000)).toEqual({ limit: 2, remaining: 0, resetMs: 7_000, allowed: false })
    expect(counter.hit('k', 2, 4_000).allowed).toBe(false)
    expect(counter.peek('k', 2, 11_000).allowed).toBe(true)
  })
})

describe('clientAddressKey', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['2001:db8:1:2:aaaa::1', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['::1', '0:0:0:0::/64'],
    [undefined, 'unknown'],
  ])('%s counts as %s', (address, key) => {
    expect(clientAddressKey(address)).toBe(key)
  })
})

describe('5 failed authentications per address per window', () => {
  const LIMIT = 5
  let g: TestGateway
  beforeAll(async () => {
    g = await startTestGateway({
      sandbox: false,
      env: { UNIMETER_SYNC_SCHEDULER: 'off', UNIMETER_RATE_LIMIT_AUTH_FAILURES: String(LIMIT), UNIMETER_RATE_LIMIT_AUTH_WINDOW_MS: '3000' },
    })
  })
  afterAll(async () => {
    await g?.close()
  })

  it('successes spend nothing; the failures after the limit are 429 with the rate-limit envelope and headers', async () => {
    for (let i = 0; i < 20; i++) expect((await call(g, TEST_TOKEN)).status).toBe(200)
    // Unknown tokens and a missing header are both failed checks.
    for (let i = 0; i < LIMIT; i++) {
      const failed = await call(g, i % 2 ? undefined : `um_guess_${i}`)
      expect(failed.status).toBe(401)
      expect(failed.body.code).toBe('unauthorized')
    }
    const refused = await call(g, 'um_guess_next')
    expect(refused.status).toBe(429)
    expect(refused.body).toMatchObject({
      statusCode: 429,
      error: 'Too Many Requests',
      code: 'rate_limited',
      message: expect.stringMatching(/failed authentications from this address: the limit is 5 per 3 s\. Retry after \d s/),
      truto_error_insight: { rate_limit_error: { value: { scope: 'address', limit: LIMIT, window_seconds: 3 } } },
    })
    const retryAfter = Number(refused.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(retryAfter).toBeLessThanOrEqual(3)
    expect(refused.headers.get('ratelimit-limit')).toBe(String(LIMIT))
    expect(refused.headers.get('ratelimit-remaining')).toBe('0')
    expect(Number(refused.headers.get('ratelimit-reset'))).toBe(retryAfter)
    expect(refused.headers.get('ratelimit-policy')).toBe(`${LIMIT};w=3`)

    // Refused before the check: the right token from this address waits out the window too.
    expect((await call(g, TEST_TOKEN)).status).toBe(429)
    // Public paths need no token and are never refused.
    expect((await call(g, undefined, { path: '/health' })).status).toBe(200)
    // Another client address has its own budget.
    expect((await call(g, 'um_guess_elsewhere', { dispatcher: fromSecondAddress })).status).toBe(401)
    expect((await call(g, TEST_TOKEN, { dispatcher: fromSecondAddress })).status).toBe(200)

    // After what Retry-After says (a lower bound), the address is served again.
    await new Promise((r) => setTimeout(r, retryAfter * 1000))
    expect((await call(g, TEST_TOKEN)).status).toBe(200)
    expect((await call(g, 'um_guess_again')).status).toBe(401)
  })
})

describe('UNIMETER_RATE_LIMIT_AUTH_FAILURES=0', () => {
  let g: TestGateway
  beforeAll(async () => {
    g = await startTestGateway({ sandbox: false, env: { UNIMETER_SYNC_SCHEDULER: 'off', UNIMETER_RATE_LIMIT_AUTH_FAILURES: '0' } })
  })
  afterAll(async () => {
    await g?.close()
  })

  it('turns the limit off', async () => {
    for (let i = 0; i < 40; i++) expect((await call(g, `um_guess_${i}`)).status).toBe(401)
    expect((await call(g, TEST_TOKEN)).status).toBe(200)
  })
})

describe('the default', () => {
  let g: TestGateway
  beforeAll(async () => {
    // An empty value falls back to the default the harness otherwise raises for unrelated suites.
    g = await startTestGateway({
      sandbox: false,
      env: { UNIMETER_SYNC_SCHEDULER: 'off', UNIMETER_RATE_LIMIT_AUTH_FAILURES: '', UNIMETER_RATE_LIMIT_AUTH_WINDOW_MS: '' },
    })
  })
  afterAll(async () => {
    await g?.close()
  })

  it('is 20 failures per 60 s', async () => {
    for (let i = 0; i < 20; i++) expect((await call(g, `um_guess_${i}`)).status).toBe(401)
    const refused = await call(g, 'um_guess_21')
    expect(refused.status).toBe(429)
    expect(refused.body.truto_error_insight.rate_limit_error.value).toMatchObject({ scope: 'address', limit: 20, window_seconds: 60 })
  })
})
