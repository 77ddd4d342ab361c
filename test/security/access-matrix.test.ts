/**
 * Least privilege, route by route: every route the gateway documents in /openapi.json, called
 * with each role (admin, write, read), unbound and bound to tenant "acme", against a real
 * gateway. The decision table below is the specification: a route missing from it (a new route
 * nobody decided on) or listed but no longer served fails the suite.
 *
 * Decisions, one letter per token kind, in the order of KINDS:
 *   A  allowed
 *   F  refused: 403 `forbidden`, the message naming the role (or unbound token) needed
 *   T  allowed for the token's own tenant only: the same request about tenant "globex"'s
 *      resources is not found (404), refused (403, creating for another tenant) or filtered out
 *      of a list, as `otherTenant` says
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { webhookDeliveries } from '../../src/db/schema'
import { startTestGateway, type TestGateway } from '../support/gateway'

const KINDS = ['admin', 'write', 'read', 'admin@acme', 'write@acme', 'read@acme'] as const
type Kind = (typeof KINDS)[number]
const OWN = 'acme'
const OTHER = 'globex'

interface Probe {
  path: string
  body?: unknown
  /** Sent besides the API token (the connect page's link token). */
  headers?: Record<string, string>
  /** For lists: an id that is in the list exactly when the caller may see the probed tenant. */
  listed?: string
}

interface RouteCase {
  decisions: string
  /** A request about resources of `tenant` (fresh ones for routes that change or delete). */
  probe(tenant: string): Promise<Probe>
  /** What a tenant-bound token meets for another tenant's resources (T routes). */
  otherTenant?: 'not_found' | 'forbidden' | 'filtered'
  /** Statuses that mean the request got past authorization and did its work (default 200, 201). */
  ok?: number[]
}

let g: TestGateway
let claudeKey: string
let userId: string
let organizationId: string
let workspaceId: string
const tokens = new Map<Kind, string>()

async function admin(method: string, path: string, body?: unknown) {
  const res = await g.json(path, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body
}

async function as(kind: Kind, method: string, probe: Probe) {
  const init: RequestInit = {
    method,
    headers: { authorization: `Bearer ${tokens.get(kind)}`, 'content-type': 'application/json', ...probe.headers },
  }
  if (probe.body !== undefined) init.body = JSON.stringify(probe.body)
  const res = await fetch(`${g.url}${probe.path}`, init)
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : undefined }
}

// Fixtures, made with the bootstrap (admin) token through the API itself.
const account = async (tenant: string): Promise<string> =>
  (await admin('POST', '/integrated-account', { integration: 'claude', tenant_id: tenant, context: { api_key: claudeKey } })).id
const USERS_JOB = [{ resource: 'usage-metering/users' }]
const job = async (tenant: string): Promise<string> =>
  (await admin('POST', '/sync-job', { integrated_account_id: await account(tenant), resources: USERS_JOB })).id
const run = async (tenant: string): Promise<string> => (await admin('POST', `/sync-job/${await job(tenant)}/run`)).id
// A Truto-style job of the integration, started per account with POST /sync-job-run.
const definition = async (): Promise<string> => (await admin('POST', '/sync-job', { integration_name: 'claude', resources: USERS_JOB })).id
const webhook = async (): Promise<string> =>
  (await admin('POST', '/webhook', { target_url: 'http://127.0.0.1:9/hook', event_types: ['*'], is_active: false })).id
const readToken = async (): Promise<string> => (await admin('POST', '/api-token', { name: 'victim', role: 'read' })).id
// A delivery that failed, as the pump leaves one (written directly: failing one for real takes retries).
const failedDelivery = async (): Promise<{ webhook: string; delivery: string }> => {
  const id = (await admin('POST', '/webhook', { target_url: 'http://127.0.0.1:9/hook', event_types: ['*'] })).id
  const delivery = crypto.randomUUID()
  const at = new Date().toISOString()
  await g.services.db.insert(webhookDeliveries).values({
    ...{ id: delivery, webhookId: id, eventId: `evt_${delivery}`, event: 'integrated_account:created', body: '{}' },
    ...{ status: 'failed', attempts: 3, nextAttemptAt: Date.now(), lastError: 'refused', createdAt: at, updatedAt: at },
  })
  return { webhook: id, delivery }
}
// The connect page's API ignores API tokens: every kind gets what the link token allows.
const linkToken = async (tenant: string): Promise<string> => (await admin('POST', '/link-token', { tenant_id: tenant })).link_token

const ROUTES: Record<string, RouteCase> = {
  //                                                   admin write read | admin@ write@ read@
  'GET /unified/usage-metering/users': {
    decisions: 'AAA TTT',
    probe: async (t) => ({ path: `/unified/usage-metering/users?integrated_account_id=${await account(t)}&limit=1` }),
    otherTenant: 'not_found',
  },
  'GET /unified/usage-metering/users/{id}': {
    decisions: 'AAA TTT',
    probe: async (t) => ({ path: `/unified/usage-metering/users/${userId}?integrated_account_id=${await account(t)}` }),
    otherTenant: 'not_found',
  },
  'GET /unified/usage-metering/organizations': {
    decisions: 'AAA TTT',
    probe: async (t) => ({ path: `/unified/usage-metering/organizations?integrated_account_id=${await account(t)}` }),
    otherTenant: 'not_found',
  },
  'GET /unified/usage-metering/organizations/{id}': {
    decisions: 'AAA TTT',
    probe: async (t) => ({ path: `/unified/usage-metering/organizations/${organizationId}?integrated_account_id=${await account(t)}` }),
    otherTenant: 'not_found',
  },
  'GET /unified/usage-metering/workspaces': {
    decisions: 'AAA TTT',
    probe: async (t) => ({ path: `/unified/usage-metering/workspaces?integrated_account_id=${await account(t)}&limit=1` }),
    otherTenant: 'not_found',
  },
  'GET /unified/usage-metering/workspaces/{id}': {
    decisions: 'AAA TTT',
    probe: async (t) => ({ path: `/unified/usage-metering/workspaces/${workspaceId}?integrated_account_id=${await account(t)}` }),
    otherTenant: 'not_found',
  },
  'GET /unified/usage-metering/usage': {
    decisions: 'AAA TTT',
    probe: async (t) => ({ path: `/unified/usage-metering/usage?integrated_account_id=${await account(t)}&limit=1` }),
    otherTenant: 'not_found',
  },
  'POST /integrated-account': {
    decisions: 'AAF TTF',
    probe: async (t) => ({ path: '/integrated-account', body: { integration: 'claude', tenant_id: t, context: { api_key: claudeKey } } }),
    otherTenant: 'forbidden',
  },
  'GET /integrated-account': {
    decisions: 'AAA TTT',
    probe: async (t) => ({ path: '/integrated-account?limit=500', listed: await account(t) }),
    otherTenant: 'filtered',
  },
  'GET /integrated-account/{id}': {
    decisions: 'AAA TTT',
    probe: async (t) => ({ path: `/integrated-account/${await account(t)}` }),
    otherTenant: 'not_found',
  },
  'PATCH /integrated-account/{id}': {
    decisions: 'AAF TTF',
    probe: async (t) => ({ path: `/integrated-account/${await account(t)}`, body: { tenant_id: t } }),
    otherTenant: 'not_found',
  },
  'DELETE /integrated-account/{id}': {
    decisions: 'AAF TTF',
    probe: async (t) => ({ path: `/integrated-account/${await account(t)}` }),
    otherTenant: 'not_found',
  },
  'POST /sync-job': {
    decisions: 'AAF TTF',
    probe: async (t) => ({ path: '/sync-job', body: { integrated_account_id: await account(t), resources: USERS_JOB } }),
    otherTenant: 'not_found',
  },
  'GET /sync-job': {
    decisions: 'AAA TTT',
    probe: async (t) => ({ path: '/sync-job?limit=500', listed: await job(t) }),
    otherTenant: 'filtered',
  },
  'GET /sync-job/{id}': { decisions: 'AAA TTT', probe: async (t) => ({ path: `/sync-job/${await job(t)}` }), otherTenant: 'not_found' },
  'PATCH /sync-job/{id}': {
    decisions: 'AAF TTF',
    probe: async (t) => ({ path: `/sync-job/${await job(t)}`, body: { is_active: false } }),
    otherTenant: 'not_found',
  },
  'DELETE /sync-job/{id}': { decisions: 'AAF TTF', probe: async (t) => ({ path: `/sync-job/${await job(t)}` }), otherTenant: 'not_found' },
  'POST /sync-job/{id}/run': {
    decisions: 'AAF TTF',
    probe: async (t) => ({ path: `/sync-job/${await job(t)}/run` }),
    otherTenant: 'not_found',
  },
  'POST /sync-job-run': {
    decisions: 'AAF TTF',
    probe: async (t) => ({ path: '/sync-job-run', body: { sync_job_id: await definition(), integrated_account_id: await account(t) } }),
    otherTenant: 'not_found',
  },
  'GET /sync-job-run': {
    decisions: 'AAA TTT',
    probe: async (t) => ({ path: '/sync-job-run?limit=500', listed: await run(t) }),
    otherTenant: 'filtered',
  },
  'GET /sync-job-run/{id}': {
    decisions: 'AAA TTT',
    probe: async (t) => ({ path: `/sync-job-run/${await run(t)}` }),
    otherTenant: 'not_found',
  },
  'POST /sync-job-run/{id}/cancel': {
    decisions: 'AAF TTF',
    probe: async (t) => ({ path: `/sync-job-run/${await run(t)}/cancel` }),
    otherTenant: 'not_found',
    ok: [200, 409], // 409: the run already ended
  },
  'POST /webhook': {
    decisions: 'AAF FFF',
    probe: async () => ({ path: '/webhook', body: { target_url: 'http://127.0.0.1:9/hook', event_types: ['*'], is_active: false } }),
  },
  'GET /webhook': { decisions: 'AAA FFF', probe: async () => ({ path: '/webhook?limit=500', listed: await webhook() }) },
  'GET /webhook/{id}': { decisions: 'AAA FFF', probe: async () => ({ path: `/webhook/${await webhook()}` }) },
  'PATCH /webhook/{id}': { decisions: 'AAF FFF', probe: async () => ({ path: `/webhook/${await webhook()}`, body: { is_active: false } }) },
  'DELETE /webhook/{id}': { decisions: 'AAF FFF', probe: async () => ({ path: `/webhook/${await webhook()}` }) },
  'GET /webhook/{id}/deliveries': { decisions: 'AAA FFF', probe: async () => ({ path: `/webhook/${await webhook()}/deliveries` }) },
  'POST /api-token': { decisions: 'AFF FFF', probe: async () => ({ path: '/api-token', body: { name: 'minted', role: 'admin' } }) },
  'GET /api-token': { decisions: 'AFF FFF', probe: async () => ({ path: '/api-token', listed: await readToken() }) },
  'DELETE /api-token/{id}': { decisions: 'AFF FFF', probe: async () => ({ path: `/api-token/${await readToken()}` }) },
  'GET /integrations': { decisions: 'AAA AAA', probe: async () => ({ path: '/integrations' }) },
  // With one key version in use the rotation has nothing to do: a 200 with done: true.
  'POST /admin/rotate-encryption-key': { decisions: 'AFF FFF', probe: async () => ({ path: '/admin/rotate-encryption-key?limit=10' }) },
  'POST /integrated-account/{id}/verify': {
    decisions: 'AAF TTF',
    probe: async (t) => ({ path: `/integrated-account/${await account(t)}/verify` }),
    otherTenant: 'not_found',
  },
  'POST /webhook/{id}/deliveries/{delivery_id}/redeliver': {
    decisions: 'AAF FFF',
    probe: async () => {
      const { webhook, delivery } = await failedDelivery()
      return { path: `/webhook/${webhook}/deliveries/${delivery}/redeliver` }
    },
    ok: [202],
  },
  'POST /link-token': {
    decisions: 'AAF TTF',
    probe: async (t) => ({ path: '/link-token', body: { tenant_id: t, integrations: ['claude'] } }),
    otherTenant: 'forbidden',
  },
  'GET /connect/session': {
    decisions: 'AAA AAA',
    probe: async (t) => ({ path: '/connect/session', headers: { 'x-link-token': await linkToken(t) } }),
  },
  'POST /connect/account': {
    decisions: 'AAA AAA',
    probe: async (t) => ({
      path: '/connect/account',
      headers: { 'x-link-token': await linkToken(t) },
      body: { integration: 'claude', context: { api_key: claudeKey } },
    }),
  },
  'GET /health': { decisions: 'AAA AAA', probe: async () => ({ path: '/health' }) },
}

const decision = (route: RouteCase, kind: Kind) => route.decisions.replace(' ', '')[KINDS.indexOf(kind)]
/** The least unbound role the table allows: what a refusal must name. */
const neededRole = (route: RouteCase) => (['read', 'write', 'admin'] as const).find((r) => decision(route, r) === 'A')!

beforeAll(async () => {
  g = await startTestGateway({ simulator: { users: 3 }, env: { UNIMETER_ALLOW_PRIVATE_URLS: 'true' } })
  const sim = g.sandbox!.simulators.get('claude')!
  claudeKey = sim.credentials.api_key
  // Production accounts reach the simulator through the operator's base-URL override.
  g.services.env.UNIMETER_CLAUDE_BASE_URL = sim.baseUrl
  const users = await admin('GET', `/unified/usage-metering/users?integrated_account_id=${await account(OWN)}&limit=1`)
  userId = users.result[0].id
  const first = async (resource: string) =>
    (await admin('GET', `/unified/usage-metering/${resource}?integrated_account_id=${await account(OWN)}&limit=1`)).result[0].id
  organizationId = await first('organizations')
  workspaceId = await first('workspaces')
  for (const kind of KINDS) {
    const [role, tenant] = kind.split('@')
    tokens.set(kind, (await admin('POST', '/api-token', { name: kind, role, ...(tenant ? { tenant_id: tenant } : {}) })).token)
  }
})
afterAll(async () => {
  await g?.close()
})

describe('access matrix', () => {
  it('has a decision for every documented route, and documents every route it decides', async () => {
    const doc = await (await fetch(`${g.url}/openapi.json`)).json()
    const served = Object.entries<Record<string, unknown>>(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    )
    expect(
      served.filter((r) => !(r in ROUTES)),
      'routes without a decision in ROUTES',
    ).toEqual([])
    expect(
      Object.keys(ROUTES).filter((r) => !served.includes(r)),
      'decided routes the gateway no longer serves',
    ).toEqual([])
    for (const [route, spec] of Object.entries(ROUTES)) expect(spec.decisions, route).toMatch(/^[AF]{3} [AFT]{3}$/)
  })

  it('cannot be slipped past by spelling a path differently', async () => {
    const { request } = await import('node:http')
    // Raw request lines: fetch would normalize these before they leave.
    const statusOf = (kind: Kind, path: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: g.port, path, headers: { authorization: `Bearer ${tokens.get(kind)}` } }, (res) => {
          res.resume()
          resolve(res.statusCode!)
        })
        req.once('error', reject).end()
      })
    const spellings = (family: string) => [
      `/${family}`,
      `/${family}/`,
      `//${family}`,
      `/./${family}`,
      `/x/../${family}`,
      `/unified/../${family}`,
      `/unified/%2e%2e/${family}`,
      `/unified/..%2F${family}`,
      `/%2F${family}`,
      `/${family.toUpperCase()}`,
      `/%${family.charCodeAt(0).toString(16)}${family.slice(1)}`,
      `/${family}%2F`,
    ]
    for (const [kind, family] of [
      ['read', 'api-token'],
      ['write', 'api-token'],
      ['read@acme', 'api-token'],
      ['write@acme', 'webhook'],
    ] as const) {
      for (const path of spellings(family)) expect([403, 404], `${kind} GET ${path}`).toContain(await statusOf(kind, path))
    }
  })

  for (const [route, spec] of Object.entries(ROUTES)) {
    const [method] = route.split(' ')
    it(route, async () => {
      for (const kind of KINDS) {
        const expected = decision(spec, kind)
        const bound = kind.includes('@')
        const probe = await spec.probe(OWN)
        const res = await as(kind, method, probe)
        const where = `${route} as ${kind}: ${res.status} ${JSON.stringify(res.body)}`
        if (expected === 'F') {
          expect(res.status, where).toBe(403)
          expect(res.body, where).toMatchObject({ statusCode: 403, error: 'Forbidden', code: 'forbidden' })
          const role = neededRole(spec)
          expect(res.body.message, where).toContain(`role ${role}`)
          if (bound && decision(spec, kind.split('@')[0] as Kind) === 'A')
            expect(res.body.message, where).toContain('not bound to a tenant')
          continue
        }
        expect(spec.ok ?? [200, 201], where).toContain(res.status)
        if (probe.listed)
          expect(
            res.body.result.map((r: { id: string }) => r.id),
            where,
          ).toContain(probe.listed)
        if (expected !== 'T') continue

        // The same request about another tenant's resources.
        const other = await spec.probe(OTHER)
        const hidden = await as(kind, method, other)
        const whereOther = `${route} as ${kind} about ${OTHER}: ${hidden.status} ${JSON.stringify(hidden.body)}`
        if (spec.otherTenant === 'filtered') {
          expect(hidden.status, whereOther).toBe(200)
          expect(
            hidden.body.result.map((r: { id: string }) => r.id),
            whereOther,
          ).not.toContain(other.listed)
        } else if (spec.otherTenant === 'forbidden') {
          expect(hidden.status, whereOther).toBe(403)
          expect(hidden.body.code, whereOther).toBe('forbidden')
        } else {
          expect(hidden.status, whereOther).toBe(404)
          expect(hidden.body.code, whereOther).toMatch(/_not_found$/)
        }
      }
    })
  }
})
