/**
 * Neon connector against its simulator: the org_id context field, names, get by member id, then
 * the conformance suites, in its paginated and unpaginated forms. The documented examples are in
 * neon-fixtures.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit/types'
import { walkAll } from '../support/gateway'
import { describeConnectorConformance } from './support/conformance'
import { createAccount, routeVendor, startVendorSimulator, useGateway, withSimulatedAccount } from './support/vendor-accounts'

async function neonIds(sim: RunningSimulator): Promise<string[]> {
  const get = async (path: string) =>
    (
      await fetch(`${sim.baseUrl}/organizations/${sim.context.org_id}${path}`, {
        headers: { authorization: `Bearer ${sim.credentials.api_key}` },
      })
    ).json() as Promise<any>
  const members = (await get('/members')).members.map((m: any) => m.member.user_id)
  const invitations = (await get('/invitations')).invitations.map((i: any) => i.id)
  return [...members, ...invitations]
}

describe('neon: accounts and simulator data', () => {
  const gateway = useGateway()
  let sim: RunningSimulator
  beforeAll(async () => {
    sim = await startVendorSimulator('neon', { users: 12 })
    routeVendor(gateway.g, 'neon', sim.baseUrl)
  })
  afterAll(async () => {
    await sim?.close()
  })

  it('requires org_id, naming the field', async () => {
    const { status, body } = await createAccount(gateway.g, 'neon', { api_key: sim.credentials.api_key })
    expect(status).toBe(400)
    expect(body).toMatchObject({ code: 'missing_credential', details: { field: 'context.org_id' } })
    expect(body.message).toContain('Organization ID')
  })

  it('refuses a malformed org_id before calling Neon', async () => {
    const before = sim.requests.length
    const { status, body } = await createAccount(gateway.g, 'neon', { api_key: sim.credentials.api_key, org_id: 'Not An Org!' })
    expect(status).toBe(400)
    expect(body).toMatchObject({ code: 'invalid_credential', details: { field: 'context.org_id' } })
    expect(sim.requests.length).toBe(before)
  })

  it("refuses an organization the key cannot see, with Neon's 404", async () => {
    const { status, body } = await createAccount(gateway.g, 'neon', { api_key: sim.credentials.api_key, org_id: 'org-someone-else-1234' })
    expect(status).toBe(404)
    expect(body).toMatchObject({ truto_is_remote_error: true })
    expect((await gateway.g.json('/integrated-account?integration=neon')).body.result).toEqual([])
  })

  it('keeps org_id in the account context (it is not a secret)', async () => {
    const { status, body } = await createAccount(gateway.g, 'neon', { ...sim.context, ...sim.credentials })
    expect(status).toBe(201)
    expect(body.context).toEqual({ org_id: sim.context.org_id })
    expect(body.credential_fields).toEqual(['api_key'])
  })

  it('names the key owner from /users/me, and finds a member by member id', async () => {
    await withSimulatedAccount(gateway.g, 'neon', { users: 12 }, async (account) => {
      const { records } = await walkAll(gateway.g, `${account.list}&limit=5`)
      const owner = records[0]
      expect(owner).toMatchObject({ status: 'active', roles: [{ id: 'admin', name: 'admin' }] })
      expect(owner.name).toBe(`${owner.first_name} ${owner.last_name}`)
      // Neon lists no other names: everyone else is named by the local part of their email.
      for (const r of records.slice(1)) expect(r.name).toBe(r.emails[0].email.split('@')[0])
      expect(records.filter((r) => r.status === 'invited')).toHaveLength(3)
      const byMember = await gateway.g.json(account.get(records[4].remote_data.member.id))
      expect(byMember.body).toEqual(records[4])
    })
  })
})

describeConnectorConformance({
  connector: 'neon',
  listPath: '/members',
  pageLimit: 5,
  extraWalks: [
    // Above the 100 members a vendor page holds: gateway pages fill from two vendor pages.
    { users: 250, limit: 150 },
    // The 2025-10 spec's unpaginated list: one answer the gateway slices.
    { users: 23, limit: 5, variant: { pagination: 'none' } },
    { users: 0, limit: 5, variant: { pagination: 'none' } },
  ],
  vendorIds: neonIds,
  rawRecords: (body) => body.members,
  rawId: (record) => record.member.user_id,
  errorStatuses: [400, 401, 403, 404, 429, 500, 503],
  vendorMessage: (raw) => raw.message,
})
