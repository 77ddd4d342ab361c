/**
 * API tokens: a revoked token is refused by the very next request on every kind of route, only
 * the exact token authenticates (no prefix, case or padding variants), and a refusal never
 * reaches a vendor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestGateway, type TestGateway } from '../support/gateway'

let g: TestGateway
beforeAll(async () => {
  g = await startTestGateway({ simulator: { users: 3 } })
})
afterAll(async () => {
  await g?.close()
})

const ROUTES = ['/integrated-account', '/api-token', '/unified/usage-metering/users?integrated_account_id=sandbox-claude&limit=1']

const as = (token: string, path: string, init: RequestInit = {}) =>
  fetch(`${g.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) } })

async function newToken(name: string): Promise<{ id: string; token: string }> {
  const res = await g.api('/api-token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) })
  expect(res.status).toBe(201)
  return (await res.json()) as { id: string; token: string }
}

describe('token revocation', () => {
  it('is refused by the next request on every route, with the 401 envelope', async () => {
    const { id, token } = await newToken('to-revoke')
    for (const path of ROUTES) expect((await as(token, path)).status, path).toBe(200)
    const revoked = await g.api(`/api-token/${id}`, { method: 'DELETE' })
    expect(revoked.status).toBe(200)
    for (const path of ROUTES) {
      const res = await as(token, path)
      expect(res.status, path).toBe(401)
      expect(await res.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized', code: 'unauthorized' })
    }
  })

  it('a revoked token cannot reach a vendor, and cannot revoke or mint tokens', async () => {
    const { id, token } = await newToken('revoked-then-tries')
    await g.api(`/api-token/${id}`, { method: 'DELETE' })
    const sim = g.sandbox!.simulators.get('claude')!
    const before = sim.requests.length
    expect((await as(token, ROUTES[2])).status).toBe(401)
    expect(sim.requests.length).toBe(before)
    expect(
      (await as(token, '/api-token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"x"}' })).status,
    ).toBe(401)
    const other = await newToken('bystander')
    expect((await as(token, `/api-token/${other.id}`, { method: 'DELETE' })).status).toBe(401)
    expect((await as(other.token, '/integrated-account')).status).toBe(200)
  })

  it('only the exact token authenticates', async () => {
    const { token } = await newToken('exact')
    const variants = [token.toUpperCase(), token.slice(0, -1), `${token}x`, ` ${token}`, token.slice(0, 9), `${token}\u200b`]
    for (const v of variants) {
      const res = await fetch(`${g.url}/integrated-account`, { headers: { authorization: `Bearer ${encodeURIComponent(v)}` } })
      expect(res.status, JSON.stringify(v)).toBe(401)
    }
    for (const header of [`Basic ${token}`, token, `Bearer`, `Bearer ${token} ${token}`]) {
      const res = await fetch(`${g.url}/integrated-account`, { headers: { authorization: header } })
      expect(res.status, header).toBe(401)
    }
  })
})
