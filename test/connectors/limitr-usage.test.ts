/**
 * Limitr usage: every meter and credit grant of a customers() snapshot as a unified usage row,
 * from a spec-shaped fixture (exact output) and from the simulator (consistent with its users).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { customers } from '../../connectors/limitr/wire-schemas'
import CUSTOMERS from '../fixtures/limitr/customers-usage'
import TICKET from '../fixtures/limitr/wss-ticket'
import { walkAll } from '../support/gateway'
import { createAccount, routeVendor, startReplay, useGateway, withSimulatedAccount, type Replay } from './support/vendor-accounts'
import { expectWireValid } from './support/wire-examples'

const USAGE = '/unified/usage-metering/usage'
const acme = { id: 'org_acme', name: 'Acme Inc' }
const ada = { id: 'user_ada', email: 'ada@acme.example', name: 'Ada Lovelace' }
const row = (fields: Record<string, unknown>) => ({
  product: null,
  model: null,
  surface: null,
  start_date: null,
  end_date: null,
  created_at: null,
  updated_at: null,
  ...fields,
})

describe('limitr usage from a customers() snapshot', () => {
  const gateway = useGateway({ sandbox: false, env: { UNIMETER_ALLOW_PRIVATE_URLS: 'true' } })
  let replay: Replay
  let q: string
  beforeAll(async () => {
    replay = await startReplay('', { 'POST /wss/ticket': TICKET, 'GET /exports/customers.json': CUSTOMERS })
    routeVendor(gateway.g, 'limitr', replay.baseUrl)
    const created = await createAccount(gateway.g, 'limitr', {
      token: 'test_fixture',
      snapshot_url: `${replay.baseUrl}/exports/customers.json`,
    })
    expect(created.status).toBe(201)
    q = `integrated_account_id=${created.body.id}`
  })
  afterAll(async () => {
    await replay?.close()
  })

  it('the fixture is a valid snapshot', () => expectWireValid(customers, CUSTOMERS, 'customers-usage'))

  it('maps meters (money only in currency credits, exactly) and grants, users attributed', async () => {
    const { status, body } = await gateway.g.json(`${USAGE}?${q}`)
    expect(status).toBe(200)
    const result = body.result.map(({ id, ...rest }: { id: string }) => rest)
    expect(result).toEqual([
      row({
        metric_name: 'seats',
        resources: [{ id: 'org_acme', name: 'Acme Inc', workspace: null }],
        organization: acme,
        user: null,
        charges: null,
        usage: { quantity: 1, unit: 'seat', tokens: null, requests: null, sessions: null, code: null, activity: null },
        remote_data: { customer_id: 'org_acme', entitlement: 'seats', credit: 'seat', value: 1 },
      }),
      row({
        metric_name: 'ai_tokens',
        resources: null,
        organization: acme,
        user: ada,
        charges: null,
        usage: { quantity: 1250000, unit: 'token', tokens: null, requests: null, sessions: null, code: null, activity: null },
        remote_data: { customer_id: 'user_ada', entitlement: 'ai_tokens', credit: 'token', value: 1250000 },
      }),
      row({
        metric_name: 'spend',
        resources: null,
        organization: acme,
        user: ada,
        charges: [{ amount: 7, currency: 'USD', type: 'usage_based' }],
        usage: { quantity: 0.07, unit: 'rune', tokens: null, requests: null, sessions: null, code: null, activity: null },
        remote_data: { customer_id: 'user_ada', entitlement: 'spend', credit: 'rune', value: 0.07 },
      }),
      row({
        metric_name: 'credit_grant',
        resources: null,
        organization: acme,
        user: ada,
        // 10 usd granted, 2.5 left: 7.50 consumed.
        charges: [{ amount: 750, currency: 'USD', type: 'credit' }],
        usage: { quantity: 2.5, unit: 'usd', tokens: null, requests: null, sessions: null, code: null, activity: null },
        start_date: '2025-12-01T00:00:00.000Z',
        end_date: '2026-03-01T00:00:00.000Z',
        remote_data: { customer_id: 'user_ada', grant_id: 'welcome_credit', ...CUSTOMERS.user_ada.grants.welcome_credit },
      }),
    ])
  })

  it('gives each row a stable id, the same on every listing, and filters by user_ids', async () => {
    const first = (await gateway.g.json(`${USAGE}?${q}`)).body.result.map((r: { id: string }) => r.id)
    const again = (await gateway.g.json(`${USAGE}?${q}`)).body.result.map((r: { id: string }) => r.id)
    expect(again).toEqual(first)
    expect(new Set(first).size).toBe(4)
    const only = (await gateway.g.json(`${USAGE}?${q}&user_ids[]=org_acme`)).body.result
    expect(only.map((r: { metric_name: string }) => r.metric_name)).toEqual(['seats'])
  })

  it('refuses a period: the snapshot is the current state, with no history', async () => {
    const { status, body } = await gateway.g.json(`${USAGE}?${q}&start_date=2026-11-01`)
    expect(status).toBe(400)
    expect(body.message).toContain('start_date')
  })
})

describe('limitr usage against the simulator', () => {
  const gateway = useGateway({ sandbox: false, env: { UNIMETER_ALLOW_PRIVATE_URLS: 'true' } })

  it('has a row per meter and grant of every customer, attributed to the users the users list has', async () => {
    await withSimulatedAccount(gateway.g, 'limitr', { users: 12 }, async (a) => {
      const q = `integrated_account_id=${encodeURIComponent(a.accountId)}`
      const snapshot: any = await (await fetch(a.sim.context.snapshot_url)).json()
      const all = Object.values<any>(snapshot)
      const expected = all.reduce((n, c) => n + Object.keys(c.meters).length + Object.keys(c.grants).length, 0)
      const { records } = await walkAll(gateway.g, `${USAGE}?${q}&limit=7`)
      expect(records).toHaveLength(expected)
      expect(new Set(records.map((r) => r.id)).size).toBe(expected)
      const users = (await walkAll(gateway.g, `${a.list}`)).records
      const emails = new Map(users.map((u) => [u.id, u.emails[0]?.email ?? null]))
      for (const r of records.filter((x) => x.user)) expect(r.user.email).toBe(emails.get(r.user.id))
      const grants = records.filter((r) => r.metric_name === 'credit_grant')
      expect(grants.length).toBeGreaterThan(0)
      for (const g of grants) expect(g.charges[0]).toMatchObject({ currency: 'USD', type: 'credit' })
      expect(records.filter((r) => r.metric_name === 'seats').every((r) => r.user === null && r.organization)).toBe(true)
    })
  })
})
