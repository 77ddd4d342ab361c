/** Contract cases: liveness, authentication and unknown routes. */
import { describe, expect, it } from 'vitest'
import type { ContractContext } from './suite'

export function systemCases({ client }: ContractContext): void {
  describe('system', () => {
    it('serves /health without a token', async () => {
      const res = await client.json('/health', {}, null)
      expect(res.status).toBe(200)
      expect(res.body).toEqual({ status: 'ok' })
    })

    it('refuses a missing or unknown token with the error envelope', async () => {
      const missing = await client.json('/integrated-account', {}, null)
      expect(missing.status).toBe(401)
      expect(missing.headers.get('www-authenticate')).toBe('Bearer')
      expect(missing.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', code: 'unauthorized' })
      const unknown = await client.json('/integrated-account', {}, 'not-a-token-of-this-gateway')
      expect(unknown.status).toBe(401)
      expect(unknown.body.code).toBe('unauthorized')
    })

    it('answers an unknown route with a 404 envelope', async () => {
      const res = await client.json('/no/such/route')
      expect(res.status).toBe(404)
      expect(res.body).toMatchObject({ statusCode: 404, code: 'route_not_found' })
    })
  })
}
