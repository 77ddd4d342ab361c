/**
 * Limitly usage: one user's requests this quota period against the plan limit, from the docs'
 * example (exact output) and from the simulator (in agreement with its usage endpoint and users).
 */
import { describe, expect, it } from 'vitest'
import { userUsage } from '../../connectors/limitly/wire-schemas'
import DOCS_USERS from '../fixtures/limitly/users'
import DOCS_USAGE from '../fixtures/limitly/users-id-usage'
import { useGateway, useReplayAccount, withSimulatedAccount } from './support/vendor-accounts'
import { bearerJson } from './support/wire'
import { expectWireValid } from './support/wire-examples'

const USAGE = '/unified/usage-metering/usage'

describe('limitly usage from the docs example', () => {
  const docs = useReplayAccount(
    'limitly',
    '/functions/v1',
    { 'GET /users': DOCS_USERS, 'GET /users/123/usage': DOCS_USAGE },
    { api_key: 'lk_docs0000000000000000000000000000' },
  )

  it('maps the user usage against the plan limit exactly', async () => {
    expectWireValid(userUsage, DOCS_USAGE, 'users-id-usage')
    const { status, body } = await docs.g.json(`${USAGE}?${docs.q}&user_ids[]=123`)
    expect(status).toBe(200)
    expect(body.result).toHaveLength(1)
    const { id, ...row } = body.result[0]
    expect(id).toMatch(/^lmly_[0-9a-f]{16}$/)
    expect(row).toEqual({
      product: null,
      metric_name: 'requests',
      resources: null,
      organization: null,
      user: { id: '123', email: null, name: 'John Doe' },
      model: null,
      surface: null,
      charges: null,
      usage: {
        quantity: 45,
        unit: 'request',
        tokens: null,
        requests: {
          total: 45,
          chat: null,
          agent: null,
          composer: null,
          cmdk: null,
          tab_shown: null,
          tab_accepted: null,
          api_key: null,
          included: null,
          usage_based: null,
          bugbot: null,
        },
        sessions: null,
        code: null,
        activity: null,
      },
      start_date: null,
      end_date: null,
      created_at: null,
      updated_at: null,
      remote_data: DOCS_USAGE.data,
      quota: { limit: 1000, remaining: 955, period: null, plan_name: 'Basic Plan', is_unlimited: false },
    })
    expect(docs.replay.requests.at(-1)!.path).toBe('/functions/v1/users/123/usage')
  })

  it('answers 400 without a user, and for a period it cannot give', async () => {
    const none = await docs.g.json(`${USAGE}?${docs.q}`)
    expect(none.status).toBe(400)
    expect(none.body.message).toContain('user_ids')
    const period = await docs.g.json(`${USAGE}?${docs.q}&user_ids[]=123&start_date=2026-11-01`)
    expect(period.status).toBe(400)
    expect(period.body.message).toContain('start_date')
  })
})

describe('limitly usage against the simulator', () => {
  const gateway = useGateway()

  it("agrees with the vendor's usage of that user, period included, the same id on a second read", async () => {
    await withSimulatedAccount(gateway.g, 'limitly', { users: 6 }, async (a) => {
      const users = (await gateway.g.json(a.list)).body.result
      const q = `integrated_account_id=${encodeURIComponent(a.accountId)}`
      for (const user of users.slice(0, 3)) {
        const vendor = await bearerJson(a.sim, `/users/${user.id}/usage`)
        const { body } = await gateway.g.json(`${USAGE}?${q}&user_ids=${user.id}`)
        expect(body.result).toHaveLength(1)
        const [row] = body.result
        expect(row.user).toEqual({ id: user.id, email: null, name: user.name })
        expect(row.usage.quantity).toBe(vendor.data.current_usage)
        expect(row.start_date).toBe(new Date(vendor.data.period_start).toISOString())
        expect(row.end_date).toBe(new Date(vendor.data.period_end).toISOString())
        expect(row.quota.limit ?? null).toBe(vendor.data.limit ?? null)
        expect((await gateway.g.json(`${USAGE}?${q}&user_ids=${user.id}`)).body.result[0].id).toBe(row.id)
      }
      expect((await gateway.g.json(`${USAGE}?${q}&user_ids=999999999`)).status).toBe(404)
    })
  })
})
