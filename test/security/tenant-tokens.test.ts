/**
 * Tenant-bound tokens beyond the route matrix (access-matrix.test.ts): lists hold only the
 * tenant's accounts, whatever filter is asked for; accounts a bound token creates or changes stay
 * in its tenant; super-query reads follow the same rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestGateway, type TestGateway } from '../support/gateway'

let g: TestGateway
let claudeKey: string
let acmeToken: string
const ids: Record<string, string> = {}

const post = (path: string, body: unknown) =>
  g.json(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

async function asAcme(method: string, path: string, body?: unknown) {
  const res = await fetch(`${g.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${acmeToken}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  return { status: res.status, body: (await res.json()) as any }
}

beforeAll(async () => {
  g = await startTestGateway({ simulator: { users: 3 } })
  const sim = g.sandbox!.simulators.get('claude')!
  claudeKey = sim.credentials.api_key
  g.services.env.UNIMETER_CLAUDE_BASE_URL = sim.baseUrl
  for (const tenant of ['acme', 'globex']) {
    const created = await post('/integrated-account', { integration: 'claude', tenant_id: tenant, context: { api_key: claudeKey } })
    expect(created.status).toBe(201)
    ids[tenant] = created.body.id
  }
  const token = await post('/api-token', { name: 'acme app', role: 'write', tenant_id: 'acme' })
  expect(token.status).toBe(201)
  acmeToken = token.body.token
})
afterAll(async () => {
  await g?.close()
})

describe('a tenant-bound token', () => {
  it("lists only its tenant's accounts, whatever tenant_id it asks for", async () => {
    const all = await asAcme('GET', '/integrated-account')
    expect(all.status).toBe(200)
    expect(all.body.result.length).toBeGreaterThan(0)
    expect(all.body.result.every((a: any) => a.tenant_id === 'acme')).toBe(true)
    expect(all.body.result.map((a: any) => a.id)).toContain(ids.acme)
    // The sandbox accounts (tenant "sandbox") and globex's exist, but not for this token.
    for (const tenant of ['globex', 'sandbox']) {
      const asked = await asAcme('GET', `/integrated-account?tenant_id=${tenant}`)
      expect(asked).toMatchObject({ status: 200, body: { result: [], next_cursor: null } })
    }
    expect((await g.json('/integrated-account?tenant_id=globex')).body.result.map((a: any) => a.id)).toEqual([ids.globex])
  })

  it('creates accounts in its own tenant: tenant_id omitted means its own, any other is refused', async () => {
    const implicit = await asAcme('POST', '/integrated-account', { integration: 'claude', context: { api_key: claudeKey } })
    expect(implicit).toMatchObject({ status: 201, body: { tenant_id: 'acme' } })
    for (const tenant_id of ['globex', null]) {
      const refused = await asAcme('POST', '/integrated-account', { integration: 'claude', tenant_id, context: { api_key: claudeKey } })
      expect(refused).toMatchObject({ status: 403, body: { code: 'forbidden' } })
      expect(refused.body.message).toContain('bound to tenant acme')
    }
  })

  it('cannot move its account to another tenant, nor out of every tenant', async () => {
    for (const tenant_id of ['globex', null]) {
      const refused = await asAcme('PATCH', `/integrated-account/${ids.acme}`, { tenant_id })
      expect(refused).toMatchObject({ status: 403, body: { code: 'forbidden' } })
    }
    expect((await asAcme('PATCH', `/integrated-account/${ids.acme}`, { tenant_id: 'acme' })).status).toBe(200)
    expect((await g.json(`/integrated-account/${ids.acme}`)).body.tenant_id).toBe('acme')
  })

  it("reads its tenant's synced records with truto_super_query, and not another tenant's", async () => {
    const users = '/unified/usage-metering/users?truto_super_query=true&integrated_account_id='
    // Its own account: found, and answered as any account never synced is.
    const own = await asAcme('GET', `${users}${ids.acme}`)
    expect(own).toMatchObject({ status: 422, body: { code: 'super_query_not_synced' } })
    const other = await asAcme('GET', `${users}${ids.globex}`)
    expect(other).toMatchObject({ status: 404, body: { code: 'integrated_account_not_found' } })
    // The same answer as an account that does not exist: nothing tells the two apart.
    const missing = await asAcme('GET', `${users}no-such-account`)
    expect(missing.status).toBe(404)
    expect(other.body.message.replace(ids.globex, 'X')).toBe(missing.body.message.replace('no-such-account', 'X'))
  })

  it("does not see another tenant's sync jobs or runs through filters", async () => {
    const job = await post('/sync-job', { integrated_account_id: ids.globex, resources: [{ resource: 'usage-metering/users' }] })
    expect(job.status).toBe(201)
    const run = await post(`/sync-job/${job.body.id}/run`, {})
    expect(run.status).toBe(201)
    const jobs = await asAcme('GET', `/sync-job?integrated_account_id=${ids.globex}`)
    expect(jobs).toMatchObject({ status: 200, body: { result: [] } })
    const runs = await asAcme('GET', `/sync-job-run?sync_job_id=${job.body.id}`)
    expect(runs).toMatchObject({ status: 200, body: { result: [] } })
    expect((await g.json(`/sync-job-run?sync_job_id=${job.body.id}`)).body.result.map((r: any) => r.id)).toEqual([run.body.id])
  })
})

describe('the last admin token', () => {
  it('cannot be revoked when there is no UNIMETER_ADMIN_TOKEN to fall back on', async () => {
    const bare = await startTestGateway({ sandbox: false, env: { UNIMETER_ADMIN_TOKEN: '' } })
    try {
      const first = bare.generatedAdminToken!
      expect(first).toMatch(/^um_/)
      const call = async (token: string, method: string, path: string, body?: unknown) => {
        const res = await fetch(`${bare.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        })
        return { status: res.status, body: (await res.json()) as any }
      }
      const listed = (await call(first, 'GET', '/api-token')).body.result
      expect(listed).toHaveLength(1)
      expect(listed[0]).toMatchObject({ role: 'admin', tenant_id: null })
      const firstId = listed[0].id

      // Tokens that cannot manage tokens do not count: the generated one is still the last admin.
      const reader = (await call(first, 'POST', '/api-token', { name: 'reader', role: 'read' })).body
      const boundAdmin = (await call(first, 'POST', '/api-token', { name: 'acme admin', tenant_id: 'acme' })).body
      expect(boundAdmin).toMatchObject({ role: 'admin', tenant_id: 'acme' })
      const refused = await call(first, 'DELETE', `/api-token/${firstId}`)
      expect(refused).toMatchObject({ status: 409, body: { code: 'last_admin_token' } })
      expect((await call(first, 'DELETE', `/api-token/${reader.id}`)).status).toBe(200)

      const second = (await call(first, 'POST', '/api-token', { name: 'second admin' })).body
      expect((await call(second.token, 'DELETE', `/api-token/${firstId}`)).status).toBe(200)
      expect((await call(first, 'GET', '/api-token')).status).toBe(401)
      expect(await call(second.token, 'DELETE', `/api-token/${second.id}`)).toMatchObject({
        status: 409,
        body: { code: 'last_admin_token' },
      })
      expect((await call(second.token, 'GET', '/api-token')).status).toBe(200)
    } finally {
      await bare.close()
    }
  })
})
