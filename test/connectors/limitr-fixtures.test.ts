/**
 * Limitr on records shaped by its own spec (test/fixtures/limitr): a customers() snapshot fed
 * through connector and mapping, spend limits from runes, Stof number strings and shared org caps
 * asserted field by field; and the fixtures, the simulator's snapshot and its WebSocket frames
 * (in the SDK's order: policy, then customer) valid against the wire schemas.
 */
import { unifiedUser } from '../support/unified-user'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { customerFrame, customers, ticket } from '../../connectors/limitr/wire-schemas'
import CUSTOMERS from '../fixtures/limitr/customers'
import TICKET from '../fixtures/limitr/wss-ticket'
import { createAccount, routeVendor, startReplay, useGateway, USERS_PATH, type Replay } from './support/vendor-accounts'
import { expectWire, onEachVariant } from './support/wire'

const acme = { id: 'org_acme', name: 'Acme Inc' }

describe('limitr fixtures: a customers() snapshot', () => {
  const gateway = useGateway({ sandbox: false, env: { UNIMETER_ALLOW_PRIVATE_URLS: 'true' } })
  let replay: Replay
  beforeAll(async () => {
    replay = await startReplay('', { 'POST /wss/ticket': TICKET, 'GET /exports/customers.json': CUSTOMERS })
    routeVendor(gateway.g, 'limitr', replay.baseUrl)
  })
  afterAll(async () => {
    await replay?.close()
  })

  it('maps every non-org customer, with the lowest ceiling that limits its spend', async () => {
    const created = await createAccount(gateway.g, 'limitr', {
      token: 'test_fixture',
      snapshot_url: `${replay.baseUrl}/exports/customers.json`,
    })
    expect(created.status).toBe(201)
    const { body } = await gateway.g.json(`${USERS_PATH}?integrated_account_id=${created.body.id}`)
    expect(body.result).toEqual([
      // Its team's shared cap is observe-only and its org's is shared with users, not teams.
      unifiedUser({
        id: 'team_red',
        name: 'Red team',
        emails: [],
        status: 'active',
        organization: acme,
        spend_limit: null,
        remote_data: CUSTOMERS.team_red,
      }),
      unifiedUser({
        id: 'user_ada',
        name: 'Ada Lovelace',
        emails: [{ email: 'ada@acme.example', is_primary: true }],
        status: 'active',
        // Reached through her team.
        organization: acme,
        // The org's shared '40' runes (40 USD) bind before her own '100usd'; the scoped cap does not count.
        spend_limit: { amount: 4000, currency: 'USD' },
        remote_data: CUSTOMERS.user_ada,
      }),
      // The default credit: 25 runes = 25 USD; the token quota is not money.
      unifiedUser({
        id: 'user_bob',
        name: 'Bob',
        emails: [],
        status: 'active',
        organization: null,
        spend_limit: { amount: 2500, currency: 'USD' },
        remote_data: CUSTOMERS.user_bob,
      }),
      // '3GB' in usd is no amount of money.
      unifiedUser({
        id: 'user_cy',
        name: 'Cy',
        emails: [],
        status: 'active',
        organization: null,
        spend_limit: null,
        remote_data: CUSTOMERS.user_cy,
      }),
    ])
  })
})

describe('limitr wire schemas', () => {
  it('accept the fixtures', () => {
    expectWire(ticket, TICKET, 'ticket')
    expectWire(customers, CUSTOMERS, 'customers')
  })

  it('accept the simulator: snapshot, ticket, and the frames of a get in the SDK order', async () => {
    await onEachVariant('limitr', 12, [{ framing: 'record' }, { framing: 'envelope' }], async (sim, what) => {
      const snapshot = await (await fetch(String(sim.context.snapshot_url))).json()
      expectWire(customers, snapshot, `${what} snapshot`)
      const issued = await (
        await fetch(`${sim.baseUrl}/wss/ticket`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ token: sim.credentials.token }),
        })
      ).json()
      expectWire(ticket, issued, 'ticket')
      const ws = new WebSocket(`${sim.baseUrl.replace(/^http/, 'ws')}/wss?ticket=${issued.ticket}`)
      const frames: Array<{ binary: boolean; text: string }> = []
      ws.on('message', (data, binary) => frames.push({ binary, text: data.toString() }))
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
      const next = async () => {
        for (let i = 0; i < 200 && frames.length === 0; i++) await new Promise((r) => setTimeout(r, 10))
        return frames.shift()!
      }
      ws.send(JSON.stringify({ type: 'policy', id: 'active', format: 'bstf' }))
      expect((await next()).binary).toBe(true)
      const id = Object.keys(snapshot).find((k) => snapshot[k].type !== 'org')!
      for (const asked of [id, 'user_nobody']) {
        ws.send(JSON.stringify({ type: 'customer', id: asked }))
        const frame = await next()
        expect(frame.binary).toBe(false)
        expectWire(customerFrame, JSON.parse(frame.text), `${what} frame for ${asked}`)
      }
      ws.close()
    })
  })
})
