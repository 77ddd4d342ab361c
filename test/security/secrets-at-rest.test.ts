/**
 * No plaintext credential at rest or in logs: after accounts for every connector are created,
 * used, updated and made to fail (vendor errors quoting the key included), the raw bytes of the
 * SQLite file with its WAL and shared memory hold no credential and no API token, and neither
 * does any log line at any level.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { baseUrlOverrideKey } from '../../src/config/settings'
import { startTestGateway, type TestGateway } from '../support/gateway'
import { connectorCases, liveConnector } from '../reliability/support/connectors-under-test'
import { ask } from '../reliability/support/fault-gateway'
import { databaseBytes, expectNoSecret, secretsOf } from './support/secrets'

let g: TestGateway
const allSecrets: string[] = []
const created: string[] = []

const post = (path: string, body: unknown, method = 'POST') =>
  ask(g, path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

beforeAll(async () => {
  g = await startTestGateway({ env: { UNIMETER_RETRY_MAX: '1', UNIMETER_ALLOW_PRIVATE_URLS: 'true' }, simulator: { users: 6 } })
  for (const c of connectorCases) {
    const live = liveConnector(g, c)
    g.services.env[baseUrlOverrideKey(c.id)] = live.sim.baseUrl
    const secrets = secretsOf(c.id, live.sim)
    allSecrets.push(...secrets)
    const context = { ...live.sim.context, ...live.sim.credentials }
    // A production account through the API, used, updated, and made to fail with its key echoed.
    const account = await post('/integrated-account', { integration: c.id, tenant_id: 'rest-test', context })
    expect(account.status, JSON.stringify(account.body)).toBe(201)
    created.push(account.body.id)
    expect((await ask(g, `/unified/${c.resource}?integrated_account_id=${account.body.id}&limit=2`)).status).toBe(200)
    expect((await post(`/integrated-account/${account.body.id}`, { context }, 'PATCH')).status).toBe(200)
    live.sim.faults.add({
      fault: { kind: 'status', status: 500, message: `leaked ${secrets.join(' ')}` },
      times: -1,
      path: live.vendorPath,
    })
    expect((await ask(g, `/unified/${c.resource}?integrated_account_id=${account.body.id}&limit=2`)).status).toBe(500)
    live.reset()
    // A replacement key the vendor refuses is never stored, nor logged.
    const rejected = `${secrets[0]}-rotated-but-wrong`
    allSecrets.push(rejected)
    const field = secretFieldName(c.id)
    expect(
      (await post(`/integrated-account/${account.body.id}`, { context: { [field]: rejected } }, 'PATCH')).status,
    ).toBeGreaterThanOrEqual(400)
  }
})
afterAll(async () => {
  await g?.close()
})

function secretFieldName(connectorId: string): string {
  const connector = g.services.connectors.get(connectorId)
  const field = connector?.credentials.find((f) => f.secret && f.required)
  if (!field) throw new Error(`${connectorId} has no required secret field`)
  return field.name
}

describe('secrets at rest', () => {
  it('the SQLite file, its WAL and shared memory hold no plaintext credential', () => {
    const bytes = databaseBytes(g.dbPath)
    expect(bytes.length).toBeGreaterThan(0)
    expectNoSecret(bytes, allSecrets, 'the database files')
    // The accounts are really there (so the check above looked at the right data).
    for (const id of created) expect(bytes).toContain(id)
  })

  it('an API token is stored as a hash only', async () => {
    const token = await post('/api-token', { name: 'at-rest' })
    expect(token.status).toBe(201)
    expect(databaseBytes(g.dbPath)).not.toContain(token.body.token)
    const listed = await ask(g, '/api-token')
    expect(JSON.stringify(listed.body)).not.toContain(token.body.token)
    expectNoSecret(g.logs.join('\n'), [token.body.token], 'the logs')
  })

  it('account responses list secret field names, never values', async () => {
    const list = await ask(g, '/integrated-account?limit=100')
    expect(list.status).toBe(200)
    expectNoSecret(JSON.stringify(list.body), allSecrets, 'GET /integrated-account')
    for (const id of created)
      expectNoSecret(JSON.stringify((await ask(g, `/integrated-account/${id}`)).body), allSecrets, `GET /integrated-account/${id}`)
  })
})

describe('secrets in logs', () => {
  it('no log line at any level holds a credential', () => {
    const levels = new Set(g.logs.map((line) => (JSON.parse(line) as { level: string }).level))
    // The run above produced debug lines (vendor attempts) and warnings (failed requests).
    expect([...levels]).toEqual(expect.arrayContaining(['debug', 'warn']))
    expectNoSecret(g.logs.join('\n'), allSecrets, 'the logs')
  })
})
