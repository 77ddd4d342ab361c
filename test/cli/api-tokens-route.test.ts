/** The /api-token routes the CLI's `tokens` commands stand on, against a real gateway. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestGateway, type TestGateway } from '../support/gateway'

let g: TestGateway
beforeAll(async () => {
  g = await startTestGateway({ sandbox: false })
})
afterAll(async () => {
  await g?.close()
})

const create = (body: unknown) =>
  g.json('/api-token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
const withToken = (token: string) => fetch(`${g.url}/integrated-account`, { headers: { authorization: `Bearer ${token}` } })

describe('/api-token', () => {
  it('creates a token shown once, usable at once, listed without the secret', async () => {
    const { status, body } = await create({ name: 'ci' })
    expect(status).toBe(201)
    expect(body).toMatchObject({ name: 'ci', revoked_at: null, last_used_at: null })
    expect(body.token).toMatch(/^um_/)
    expect(body.token.startsWith(body.prefix)).toBe(true)

    expect((await withToken(body.token)).status).toBe(200)

    const list = await g.json('/api-token')
    expect(list.status).toBe(200)
    const listed = list.body.result.find((t: any) => t.id === body.id)
    expect(listed).toMatchObject({ name: 'ci', prefix: body.prefix, revoked_at: null })
    expect(listed.last_used_at).not.toBeNull()
    expect(JSON.stringify(list.body)).not.toContain(body.token)
    expect(Object.keys(listed).sort()).toEqual(['created_at', 'id', 'last_used_at', 'name', 'prefix', 'revoked_at', 'role', 'tenant_id'])
    // Without role and tenant_id, a token is what every token was before roles: admin of every tenant.
    expect(listed).toMatchObject({ role: 'admin', tenant_id: null })
  })

  it('creates tokens with a role and a tenant, listed with both, and refuses unknown roles', async () => {
    const made = await create({ name: 'acme-reader', role: 'read', tenant_id: 'acme' })
    expect(made).toMatchObject({ status: 201, body: { role: 'read', tenant_id: 'acme' } })
    const listed = (await g.json('/api-token')).body.result.find((t: any) => t.id === made.body.id)
    expect(listed).toMatchObject({ name: 'acme-reader', role: 'read', tenant_id: 'acme' })
    for (const body of [
      { name: 'x', role: 'owner' },
      { name: 'x', tenant_id: '' },
      { name: 'x', tenant_id: 'y'.repeat(201) },
      { name: 'x', role: 7 },
    ]) {
      const res = await create(body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.body.message).toMatch(/role|tenant_id/)
    }
  })

  it('refuses a revoked token on the very next request; revoking again still succeeds', async () => {
    const { body } = await create({ name: 'short-lived' })
    expect((await withToken(body.token)).status).toBe(200)
    const del = await g.json(`/api-token/${body.id}`, { method: 'DELETE' })
    expect(del).toMatchObject({ status: 200, body: { id: body.id } })
    const refused = await withToken(body.token)
    expect(refused.status).toBe(401)
    expect((await refused.json()).message).toMatch(/revoked/)
    const again = await g.json(`/api-token/${body.id}`, { method: 'DELETE' })
    expect(again.status).toBe(200)
    const listed = (await g.json('/api-token')).body.result.find((t: any) => t.id === body.id)
    expect(listed.revoked_at).not.toBeNull()
  })

  it('answers an unknown id with 404, and the bootstrap token with a hint', async () => {
    const missing = await g.json('/api-token/nope', { method: 'DELETE' })
    expect(missing).toMatchObject({ status: 404, body: { code: 'api_token_not_found' } })
    const boot = await g.json('/api-token/bootstrap', { method: 'DELETE' })
    expect(boot).toMatchObject({ status: 400, body: { code: 'bootstrap_token' } })
    expect(boot.body.message).toContain('UNIMETER_ADMIN_TOKEN')
  })

  it('rejects a missing or blank name with the error envelope', async () => {
    for (const body of [{}, { name: '  ' }, { name: 'x'.repeat(101) }]) {
      const res = await create(body)
      expect(res.status).toBe(400)
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' })
      expect(res.body.message).toMatch(/name/)
    }
  })

  it('is documented in the OpenAPI document', async () => {
    const doc = await (await fetch(`${g.url}/openapi.json`)).json()
    expect(Object.keys(doc.paths['/api-token'])).toEqual(expect.arrayContaining(['get', 'post']))
    expect(doc.paths['/api-token/{id}'].delete).toBeDefined()
    expect(doc.paths['/api-token'].post.responses['201'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/ApiTokenCreated',
    )
    expect(JSON.stringify(doc.components.schemas.ApiTokenCreated)).toContain('"token"')
    expect(doc.components.schemas.ApiToken.properties.token).toBeUndefined()
  })
})
