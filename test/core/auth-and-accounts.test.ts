import { readFileSync, existsSync } from 'node:fs'
import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestGateway, TEST_TOKEN, type TestGateway } from '../support/gateway'

let g: TestGateway
let claudeKey: string

beforeAll(async () => {
  g = await startTestGateway({ simulator: { users: 12 } })
  const sim = g.sandbox!.simulators.get('claude')!
  claudeKey = sim.credentials.api_key
  // Production accounts reach the simulator through the operator's base-URL override.
  g.services.env.UNIMETER_CLAUDE_BASE_URL = sim.baseUrl
})
afterAll(async () => {
  await g?.close()
})

const post = (path: string, body: unknown) =>
  g.json(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

describe('authentication', () => {
  it('serves /health without a token', async () => {
    const res = await fetch(`${g.url}/health`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok' })
  })

  it('refuses a missing token with the error envelope', async () => {
    const res = await fetch(`${g.url}/integrated-account`)
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe('Bearer')
    expect(await res.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized', code: 'unauthorized' })
  })

  it('refuses a wrong token', async () => {
    const res = await fetch(`${g.url}/unified/usage-metering/users?integrated_account_id=sandbox-claude`, {
      headers: { authorization: 'Bearer nope-nope-nope' },
    })
    expect(res.status).toBe(401)
    expect((await res.json()).message).toMatch(/unknown or has been revoked/)
  })

  it('accepts the bootstrap token and a generated token, and a revoked one no longer', async () => {
    const created = await g.services.tokens.create('ci')
    const ok = await fetch(`${g.url}/integrated-account`, { headers: { authorization: `Bearer ${created.token}` } })
    expect(ok.status).toBe(200)
    await g.services.tokens.revoke(created.row.id)
    const revoked = await fetch(`${g.url}/integrated-account`, { headers: { authorization: `Bearer ${created.token}` } })
    expect(revoked.status).toBe(401)
    const boot = await fetch(`${g.url}/integrated-account`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } })
    expect(boot.status).toBe(200)
  })

  it('reads the token header whatever its case, and a repeated one as one value, as a Headers object would', async () => {
    // Raw header lines (node:http keeps repeated ones apart), as a client may send them.
    const status = (headers: string[]) =>
      new Promise<number>((resolve, reject) => {
        // Given as a list, no Host is added for us.
        const req = request(`${g.url}/integrated-account`, { headers: ['host', new URL(g.url).host, ...headers] }, (res) => {
          res.resume()
          resolve(res.statusCode!)
        })
        req.on('error', reject)
        req.end()
      })
    expect(await status(['AUTHORIZATION', `Bearer ${TEST_TOKEN}`])).toBe(200)
    // Two lines join into "Bearer …, Bearer …": not one bearer token, so refused.
    expect(await status(['authorization', `Bearer ${TEST_TOKEN}`, 'Authorization', `Bearer ${TEST_TOKEN}`])).toBe(401)
  })

  it('answers unknown routes with a 404 envelope', async () => {
    const { status, body } = await g.json('/nope')
    expect(status).toBe(404)
    expect(body).toMatchObject({ statusCode: 404, code: 'route_not_found' })
  })
})

describe('integrated accounts', () => {
  it('lists the sandbox accounts, marked as sandbox', async () => {
    const { status, body } = await g.json('/integrated-account?environment=sandbox')
    expect(status).toBe(200)
    const claude = body.result.find((a: any) => a.id === 'sandbox-claude')
    expect(claude).toMatchObject({
      integration_name: 'claude',
      is_sandbox: true,
      environment: 'sandbox',
      status: 'active',
      credential_fields: ['api_key', 'analytics_api_key'],
    })
    expect(JSON.stringify(body)).not.toContain(claudeKey)
  })

  it('rejects an unknown integration, naming the field', async () => {
    const { status, body } = await post('/integrated-account', { integration: 'nope', context: {} })
    expect(status).toBe(400)
    expect(body).toMatchObject({ code: 'unknown_integration', details: { field: 'integration' } })
    expect(body.message).toContain('claude')
  })

  it('rejects a missing credential, naming context.api_key', async () => {
    const { status, body } = await post('/integrated-account', { integration: 'claude', context: {} })
    expect(status).toBe(400)
    expect(body).toMatchObject({ code: 'missing_credential', details: { field: 'context.api_key' } })
  })

  it('rejects a body that is not JSON, or misses fields', async () => {
    const bad = await g.json('/integrated-account', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' })
    expect(bad.status).toBe(400)
    expect(bad.body.statusCode).toBe(400)
    const missing = await post('/integrated-account', { context: {} })
    expect(missing.status).toBe(400)
    expect(missing.body.message).toMatch(/integration/)
  })

  it('does not create an account whose key the vendor rejects', async () => {
    const before = (await g.json('/integrated-account?integration=claude')).body.result.length
    const { status, body } = await post('/integrated-account', { integration: 'claude', context: { api_key: 'sk-ant-admin01-wrong' } })
    expect(status).toBe(401)
    expect(body).toMatchObject({ truto_is_remote_error: true, code: 'authentication_error' })
    expect(body.message).toMatch(/rejected the credentials/)
    expect((await g.json('/integrated-account?integration=claude')).body.result.length).toBe(before)
  })

  it('says the vendor could not be reached, not that it rejected the key, when nothing answers', async () => {
    const simulator = g.services.env.UNIMETER_CLAUDE_BASE_URL
    // A loopback port nothing listens on: the connection is refused.
    g.services.env.UNIMETER_CLAUDE_BASE_URL = 'http://127.0.0.1:9'
    try {
      const { status, body } = await post('/integrated-account', { integration: 'claude', context: { api_key: 'sk-ant-admin01-anything' } })
      expect(status).toBe(502)
      expect(body.code).toBe('remote_unreachable')
      expect(body.message).toMatch(/^The credentials could not be checked, so nothing was saved: Could not reach Claude/)
      expect(body.message).not.toMatch(/rejected/)
    } finally {
      g.services.env.UNIMETER_CLAUDE_BASE_URL = simulator
    }
  })

  it('connects a new account to the sandbox simulator with "environment": "sandbox", whatever the base URL setting', async () => {
    const simulator = g.sandbox!.simulators.get('claude')!
    const production = g.services.env.UNIMETER_CLAUDE_BASE_URL
    // Nothing listens here: only the sandbox simulator can answer the verification call.
    g.services.env.UNIMETER_CLAUDE_BASE_URL = 'http://127.0.0.1:9'
    try {
      const created = await post('/integrated-account', {
        integration: 'claude',
        environment: 'sandbox',
        context: { ...simulator.credentials },
      })
      expect(created.status, JSON.stringify(created.body)).toBe(201)
      expect(created.body).toMatchObject({ environment: 'sandbox', is_sandbox: true, status: 'active' })
      const users = await g.json(`/unified/usage-metering/users?integrated_account_id=${created.body.id}&limit=2`)
      expect(users.status).toBe(200)
      expect(users.body.result).toHaveLength(2)
      const wrong = await post('/integrated-account', {
        integration: 'claude',
        environment: 'sandbox',
        context: { api_key: 'sk-ant-admin01-wrong' },
      })
      expect(wrong.status).toBe(401)
      expect(wrong.body.message).toMatch(/rejected the credentials/)
      const unknown = await post('/integrated-account', {
        integration: 'claude',
        environment: 'staging',
        context: { ...simulator.credentials },
      })
      expect(unknown.status).toBe(400)
    } finally {
      g.services.env.UNIMETER_CLAUDE_BASE_URL = production
    }
  })

  it('creates, reads, updates and deletes an account without ever returning the key', async () => {
    const created = await post('/integrated-account', {
      integration: 'claude',
      tenant_id: 'acme',
      context: { api_key: claudeKey, region: 'eu' },
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      integration: { name: 'claude' },
      integration_name: 'claude',
      tenant_id: 'acme',
      environment: 'production',
      status: 'active',
      context: { region: 'eu' },
    })
    expect(JSON.stringify(created.body)).not.toContain(claudeKey)
    const id = created.body.id

    const got = await g.json(`/integrated-account/${id}`)
    expect(got.body.context).toEqual({ region: 'eu' })

    const patched = await g.json(`/integrated-account/${id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant_id: 'acme-2', context: { region: null, team: 'x' } }),
    })
    expect(patched.status).toBe(200)
    expect(patched.body).toMatchObject({ tenant_id: 'acme-2', context: { team: 'x' } })
    expect(patched.body.context.region).toBeUndefined()

    // The account still works: its key survived the context merge.
    const list = await g.json(`/unified/usage-metering/users?integrated_account_id=${id}&limit=2`)
    expect(list.status).toBe(200)

    const badKey = await g.json(`/integrated-account/${id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ context: { api_key: 'sk-ant-admin01-wrong' } }),
    })
    expect(badKey.status).toBe(401)

    const del = await g.json(`/integrated-account/${id}`, { method: 'DELETE' })
    expect(del).toMatchObject({ status: 200, body: { id } })
    expect((await g.json(`/integrated-account/${id}`)).status).toBe(404)
  })

  it('pages the account list with a signed cursor', async () => {
    for (let i = 0; i < 3; i++)
      await post('/integrated-account', { integration: 'claude', tenant_id: `page-${i}`, context: { api_key: claudeKey } })
    const first = await g.json('/integrated-account?limit=2')
    expect(first.body.result).toHaveLength(2)
    expect(first.body.next_cursor).toBeTruthy()
    const second = await g.json(`/integrated-account?limit=2&next_cursor=${encodeURIComponent(first.body.next_cursor)}`)
    expect(second.body.result[0].id > first.body.result[1].id).toBe(true)
    expect((await g.json('/integrated-account?next_cursor=forged')).body.code).toBe('invalid_cursor')
  })

  it('keeps credentials out of the SQLite file (main file and WAL)', () => {
    for (const file of [g.dbPath, `${g.dbPath}-wal`]) {
      if (!existsSync(file)) continue
      const bytes = readFileSync(file)
      expect(bytes.includes(Buffer.from(claudeKey))).toBe(false)
    }
    expect(g.logs.join('\n')).not.toContain(claudeKey)
  })
})
