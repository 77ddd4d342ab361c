/**
 * Contract cases: API token roles and tenant binding, the same on every runtime (the Workers
 * runtime reads role and tenant_id from D1, added by the same migration).
 */
import { describe, expect, it } from 'vitest'
import type { ContractContext } from './suite'

export function tokenCases({ client, accountId }: ContractContext): void {
  describe('API token roles and tenants', () => {
    const mint = async (body: Record<string, unknown>): Promise<string> => {
      const created = await client.send('POST', '/api-token', { name: 'contract', ...body })
      expect(created.status, created.text).toBe(201)
      expect(created.body).toMatchObject({ role: body.role ?? 'admin', tenant_id: body.tenant_id ?? null })
      return created.body.token
    }

    it('a read token reads, and is refused writes and tokens with 403 forbidden naming the role', async () => {
      const read = await mint({ role: 'read' })
      expect((await client.json('/integrated-account', {}, read)).status).toBe(200)
      const write = await client.json('/sync-job', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }, read)
      expect(write).toMatchObject({ status: 403, body: { statusCode: 403, code: 'forbidden' } })
      expect(write.body.message).toContain('role write')
      const tokens = await client.json('/api-token', {}, read)
      expect(tokens).toMatchObject({ status: 403, body: { code: 'forbidden' } })
      expect(tokens.body.message).toContain('role admin')
    })

    it("a tenant-bound token sees its tenant's accounts and users, and another tenant's not at all", async () => {
      const account = accountId('claude')
      const own = await mint({ role: 'write', tenant_id: 'contract' })
      const other = await mint({ role: 'write', tenant_id: 'someone-else' })
      const users = `/unified/usage-metering/users?integrated_account_id=${encodeURIComponent(account)}&limit=1`
      expect((await client.json(users, {}, own)).status).toBe(200)
      expect(await client.json(users, {}, other)).toMatchObject({ status: 404, body: { code: 'integrated_account_not_found' } })
      expect((await client.json(`/integrated-account/${account}`, {}, other)).status).toBe(404)
      expect((await client.json('/integrated-account', {}, other)).body.result).toEqual([])
      expect((await client.json('/integrated-account', {}, own)).body.result.map((a: { id: string }) => a.id)).toContain(account)
      expect(await client.json('/webhook', {}, own)).toMatchObject({ status: 403, body: { code: 'forbidden' } })
    })
  })
}
