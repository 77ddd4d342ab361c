/** Contract cases: integrated accounts — create (verified), list, get, update, delete; secrets never returned. */
import { describe, expect, it } from 'vitest'
import type { ContractContext } from './suite'

export function accountCases({ client, vendor }: ContractContext): void {
  describe('integrated accounts', () => {
    it('creates, lists, gets, updates and deletes an account without ever returning its secret', async () => {
      const claude = vendor('claude')
      const key = claude.accountContext.api_key
      const created = await client.send('POST', '/integrated-account', {
        integration: 'claude',
        tenant_id: 'crud',
        context: claude.accountContext,
      })
      expect(created.status).toBe(201)
      expect(created.body).toMatchObject({
        integration: { id: 'claude', name: 'claude', label: 'Claude' },
        integration_name: 'claude',
        is_sandbox: false,
        tenant_id: 'crud',
        environment: 'production',
        status: 'active',
        credential_fields: ['api_key', 'analytics_api_key'],
      })
      const id: string = created.body.id

      const listed = await client.json('/integrated-account?integration=claude&tenant_id=crud')
      expect(listed.status).toBe(200)
      expect(listed.body.result.map((a: { id: string }) => a.id)).toEqual([id])

      const got = await client.json(`/integrated-account/${id}`)
      expect(got.body).toMatchObject({ id, integration_name: 'claude', environment_integration_id: 'claude', context: {} })

      const patched = await client.send('PATCH', `/integrated-account/${id}`, { tenant_id: 'crud-renamed' })
      expect(patched.status).toBe(200)
      expect(patched.body.tenant_id).toBe('crud-renamed')

      for (const text of [created.text, listed.text, got.text, patched.text]) expect(text).not.toContain(key)

      const deleted = await client.json(`/integrated-account/${id}`, { method: 'DELETE' })
      expect(deleted).toMatchObject({ status: 200, body: { id } })
      const gone = await client.json(`/integrated-account/${id}`)
      expect(gone.status).toBe(404)
      expect(gone.body.code).toBe('integrated_account_not_found')
    })

    it('refuses credentials the vendor rejects, creating nothing', async () => {
      const before = await client.json('/integrated-account?integration=claude&tenant_id=rejected')
      const res = await client.send('POST', '/integrated-account', {
        integration: 'claude',
        tenant_id: 'rejected',
        context: { api_key: 'sk-ant-admin01-not-the-right-key' },
      })
      expect(res.status).toBe(401)
      expect(res.body).toMatchObject({ statusCode: 401, truto_is_remote_error: true })
      expect(res.text).not.toContain('sk-ant-admin01-not-the-right-key')
      const after = await client.json('/integrated-account?integration=claude&tenant_id=rejected')
      expect(after.body.result).toEqual(before.body.result)
    })

    it('refuses an unknown integration with 400 naming the available ones', async () => {
      const res = await client.send('POST', '/integrated-account', { integration: 'no-such-vendor', context: {} })
      expect(res.status).toBe(400)
      expect(res.body.code).toBe('unknown_integration')
      expect(res.body.message).toContain('claude')
    })
  })
}
