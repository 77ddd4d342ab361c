/**
 * The people view over HTTP: `tenant_id` with truto_super_query answers one row per person
 * across every account of the tenant, seats from users copies synced from the simulators and
 * usage from the usage copies; tenant-bound tokens read only their own tenant. (The aggregates'
 * arithmetic is tested in usage-aggregate.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { walkAll, type TestGateway, startTestGateway } from '../support/gateway'
import { MEMBERS_ONLY, SYNC_TEST_ENV } from './support/sync-helpers'
import { ACME, setupUsageTenant } from './support/usage-tenant'

const USAGE = '/unified/usage-metering/usage'
let g: TestGateway
let acmeToken: string
let shared: string
let seatsOf: Record<string, any[]>

const send = (path: string, method: string, body: unknown) =>
  g.json(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

async function asToken(token: string, path: string) {
  const res = await fetch(`${g.url}${path}`, { headers: { authorization: `Bearer ${token}` } })
  return { status: res.status, body: (await res.json()) as any, headers: res.headers }
}

beforeAll(async () => {
  g = await startTestGateway({ simulator: { users: 4, variant: MEMBERS_ONLY }, env: { ...SYNC_TEST_ENV, UNIMETER_SYNC_SCHEDULER: 'off' } })
  ;({ shared, seatsOf } = await setupUsageTenant(g))
  acmeToken = (await send('/api-token', 'POST', { name: 'acme dashboard', role: 'read', tenant_id: 'acme' })).body.token
})
afterAll(async () => {
  await g?.close()
})

const PEOPLE = `${USAGE}?tenant_id=acme&truto_super_query=1`

describe('tenant_id: one row per person across vendors', () => {
  it('joins the same e-mail at Claude, Cursor and OpenAI into one person with seats and cost per account', async () => {
    const { status, body, headers } = await g.json(`${PEOPLE}&limit=1000`)
    expect(status, JSON.stringify(body)).toBe(200)
    const person = body.result.find((r: any) => r.id === shared.toLowerCase())
    expect(person.charges).toEqual([{ amount: 324, currency: 'USD', type: 'total' }])
    expect(person.usage.tokens).toEqual({ input: 300, output: 30 })
    expect(person.by_account.map((a: any) => [a.integration, a.charges[0].amount])).toEqual([
      ['claude', 123.45],
      ['cursor', 200],
      ['openai-codex', 0.55],
    ])
    expect(person.seats.map((s: any) => s.integrated_account_id)).toContain('sandbox-claude')
    // Every seat holder of the three vendors is a person of the tenant, used or not.
    const holders = new Set(ACME.flatMap((id) => seatsOf[id].map((u) => (u.emails?.[0]?.email ?? `${id}/${u.id}`).toLowerCase())))
    expect(new Set(body.result.map((r: any) => r.id))).toEqual(holders)
    // Limitly is the tenant's too, but has no usage copy: named, not silently zero.
    expect(headers.get('x-unimeter-unsynced-accounts')).toBe('sandbox-limitly (super_query_not_synced)')
    expect(JSON.stringify(body)).not.toContain('globex@example.com')
  })

  it('walks people with cursors, filters by e-mail, and streams', async () => {
    const all = (await g.json(`${PEOPLE}&limit=1000`)).body.result
    const walked = await walkAll(g, `${PEOPLE}&limit=3`)
    expect(walked.records.map((r: any) => r.id)).toEqual(all.map((r: any) => r.id))
    const one = await g.json(`${PEOPLE}&user.email=${encodeURIComponent(shared.toUpperCase())}`)
    expect(one.body.result.map((r: any) => r.id)).toEqual([shared.toLowerCase()])
    const stream = await g.api(`${PEOPLE}&truto_response_format=stream&limit=2`)
    expect(stream.headers.get('content-type')).toMatch(/ndjson/)
    const lines = (await stream.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines.map((r) => r.id)).toEqual(all.map((r: any) => r.id))
    const debug = (await g.json(`${PEOPLE}&truto_response_format=debug&limit=2`)).body
    expect(debug.result).toMatchObject({ result_count: 2, next_cursor: expect.any(String) })
    expect(debug.debug).toMatchObject({
      source: 'super_query_aggregate',
      group_by: ['user'],
      accounts: ACME,
      unsynced_accounts: [{ id: 'sandbox-limitly', code: 'super_query_not_synced' }],
    })
    const other = (await g.json(`${PEOPLE}&limit=3&group_by[]=surface`)).body.next_cursor
    const refused = await g.json(`${PEOPLE}&limit=3&next_cursor=${encodeURIComponent(other ?? 'x')}`)
    expect(refused.status).toBe(400)
    expect(refused.body.code).toBe('invalid_cursor')
  })

  it('groups one account by other dimensions, without seats', async () => {
    const { status, body } = await g.json(`${USAGE}?integrated_account_id=sandbox-cursor&truto_super_query=1&group_by[]=surface`)
    expect(status, JSON.stringify(body)).toBe(200)
    expect(body.result).toEqual([expect.objectContaining({ id: 'composer', surface: 'composer', record_count: 1 })])
    expect(body.result[0].seats).toBeUndefined()
    expect(body.result[0].by_account).toBeUndefined()
  })
})

describe('tenant isolation and refusals', () => {
  it('a token bound to acme reads acme, and another tenant is answered as none', async () => {
    expect((await asToken(acmeToken, PEOPLE)).status).toBe(200)
    const globex = await asToken(acmeToken, `${USAGE}?tenant_id=globex&truto_super_query=1`)
    expect(globex.status).toBe(404)
    expect(globex.body).toMatchObject({ code: 'tenant_not_found', message: 'No integrated accounts belong to tenant globex' })
    expect(JSON.stringify(globex.body)).not.toContain('globex@example.com')
    const neon = await asToken(acmeToken, `${USAGE}?integrated_account_id=sandbox-neon&truto_super_query=1&group_by[]=user`)
    expect(neon.status).toBe(404)
    // An unbound token reads any tenant; one without accounts is the same 404.
    expect((await g.json(`${USAGE}?tenant_id=globex&truto_super_query=1`)).body.result[0].by_account[0]).toMatchObject({
      integrated_account_id: 'sandbox-neon',
    })
    expect((await g.json(`${USAGE}?tenant_id=nobody&truto_super_query=1`)).status).toBe(404)
  })

  it.each([
    [`${USAGE}?tenant_id=acme`, 'invalid_request', /add truto_super_query=1/],
    [`${PEOPLE}&integrated_account_id=sandbox-claude`, 'invalid_request', /not both/],
    [
      `/unified/usage-metering/users?integrated_account_id=sandbox-claude&truto_super_query=1&group_by=user`,
      'invalid_group_by',
      /usage-metering\/usage/,
    ],
    [`${PEOPLE}&group_by[]=charge_type&group_by[]=token_type`, 'invalid_group_by', /group by one of them/],
    [`${PEOPLE}&group_by[]=workspace`, 'invalid_group_by', /product, surface, model, user, charge_type, token_type/],
    [`${PEOPLE}&sort_by=id`, 'invalid_filter', /ordered by id/],
    [`${PEOPLE}&truto_response_format=raw`, 'invalid_request', /no vendor data/],
    [`${PEOPLE}&start_date=yesterday`, 'invalid_request', /start_date/],
  ])('%s is a 400', async (path, code, message) => {
    const res = await g.json(path)
    expect(res.status, JSON.stringify(res.body)).toBe(400)
    expect(res.body).toMatchObject({ code, message: expect.stringMatching(message) })
  })

  it('documents tenant_id and the aggregate row in OpenAPI', async () => {
    const doc = (await g.json('/openapi.json')).body
    const list = doc.paths[USAGE].get
    const params = Object.fromEntries(list.parameters.map((p: any) => [p.name, p]))
    expect(params.tenant_id).toMatchObject({ in: 'query', required: false })
    expect(params.integrated_account_id.required).toBe(false)
    expect(JSON.stringify(list.responses['200'])).toContain('UsageGroupRow')
    expect(doc.components.schemas.UsageGroupRow.properties).toHaveProperty('seats')
    expect(doc.paths['/unified/usage-metering/users'].get.parameters.find((p: any) => p.name === 'integrated_account_id').required).toBe(
      true,
    )
  })
})
