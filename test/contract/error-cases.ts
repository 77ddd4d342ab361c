/**
 * Contract cases: the error envelope — the gateway's own refusals (missing account id, bad
 * cursor, unknown account) and vendor errors made on purpose with the simulator's fault injection.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { injectFault } from './simulators'
import type { ContractContext } from './suite'

const USERS = '/unified/usage-metering/users'

export function errorCases({ client, vendor, accountId, clearFaults }: ContractContext): void {
  describe('errors', () => {
    const list = () => `${USERS}?integrated_account_id=${accountId('claude')}`
    afterEach(clearFaults)

    it('a list without integrated_account_id: 400 with the contract insight', async () => {
      const res = await client.json(`${USERS}?limit=5`)
      expect(res.status).toBe(400)
      expect(res.body).toMatchObject({
        statusCode: 400,
        error: 'Bad Request',
        code: 'missing_required_query_parameters',
        truto_error_insight: { missing_required_query_parameters: { value: ['integrated_account_id'] } },
      })
    })

    it('garbage and tampered cursors: 400 invalid_cursor', async () => {
      const good: string = (await client.json(`${list()}&limit=3`)).body.next_cursor
      const [payload, mac] = good.split('.')
      const tampered = `${payload.slice(0, -2)}${payload.endsWith('A') ? 'B' : 'A'}${payload.slice(-1)}.${mac}`
      for (const cursor of ['garbage', tampered]) {
        const res = await client.json(`${list()}&next_cursor=${encodeURIComponent(cursor)}`)
        expect(res.status).toBe(400)
        expect(res.body).toMatchObject({ statusCode: 400, code: 'invalid_cursor' })
      }
    })

    it('an unknown integrated account: 404', async () => {
      const res = await client.json(`${USERS}?integrated_account_id=no-such-account`)
      expect(res.status).toBe(404)
      expect(res.body).toMatchObject({ statusCode: 404, code: 'integrated_account_not_found' })
    })

    it('a vendor 401: forwarded as a remote error, the account needs reauth until a call succeeds', async () => {
      await injectFault(vendor('claude'), {
        fault: { kind: 'status', status: 401, message: 'invalid x-api-key' },
        path: '/v1/organizations/users',
        times: 1,
      })
      const res = await client.json(`${list()}&limit=3`)
      expect(res.status).toBe(401)
      expect(res.body).toMatchObject({
        statusCode: 401,
        truto_is_remote_error: true,
        raw_response: { error: { message: 'invalid x-api-key' } },
      })
      const account = await client.json(`/integrated-account/${accountId('claude')}`)
      expect(account.body.status).toBe('needs_reauth')
      expect(account.body.last_error).toContain('invalid x-api-key')

      expect((await client.json(`${list()}&limit=3`)).status).toBe(200)
      expect((await client.json(`/integrated-account/${accountId('claude')}`)).body).toMatchObject({ status: 'active', last_error: null })
    })

    it('a vendor 404 on get: forwarded as a remote 404', async () => {
      const first = (await client.json(`${list()}&limit=1`)).body.result[0]
      await injectFault(vendor('claude'), { fault: { kind: 'status', status: 404 }, path: `/v1/organizations/users/${first.id}`, times: 1 })
      const res = await client.json(`${USERS}/${first.id}?integrated_account_id=${accountId('claude')}`)
      expect(res.status).toBe(404)
      expect(res.body).toMatchObject({ statusCode: 404, truto_is_remote_error: true })
    })
  })
}
