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

    it('serves the /docs page and its renderer from the gateway itself, without a token', async () => {
      const page = await client.json('/docs', {}, null)
      expect(page.status).toBe(200)
      expect(page.text).toContain('/docs/assets/swagger-ui-bundle.js')
      const css = await client.json('/docs/assets/swagger-ui.css', {}, null)
      expect(css.status).toBe(200)
      expect(css.headers.get('content-type')).toMatch(/^text\/css/)
      expect(css.text).toContain('.swagger-ui')
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
