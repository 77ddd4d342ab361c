/**
 * `usage-metering/organizations` and `usage-metering/workspaces` through the gateway against each
 * vendor's simulator: the organization is the one its users belong to, workspaces walk page by
 * page (archived ones included) and each is read back by id, and the simulators' bodies satisfy
 * the connectors' wire schemas.
 */
import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { claudeOrganization, claudeWorkspace, claudeWorkspaceList } from '../../connectors/claude/wire-schemas'
import { organization as neonOrganization, projectGet, projectList } from '../../connectors/neon/wire-schemas'
import { openaiOrganization, openaiProject, openaiProjectList } from '../../connectors/openai-codex/wire-schemas'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit/types'
import { walkAll, type TestGateway } from '../support/gateway'
import { useGateway, withSimulatedAccount, type VendorAccount } from './support/vendor-accounts'
import { expectWireValid } from './support/wire-examples'

const q = (a: VendorAccount) => `integrated_account_id=${encodeURIComponent(a.accountId)}`
const ORGS = '/unified/usage-metering/organizations'
const WORKSPACES = '/unified/usage-metering/workspaces'

/** The vendor's own answer on `path`, with the simulator's credentials. */
async function vendorBody(sim: RunningSimulator, path: string, headers: Record<string, string>, schema: z.ZodType): Promise<any> {
  const res = await fetch(`${sim.baseUrl}${path}`, { headers })
  expect(res.status).toBe(200)
  const body = await res.json()
  expectWireValid(schema, body, path)
  return body
}

/** Organizations: exactly one, gettable by its id, 404 for any other; returns it. */
async function theOrganization(g: TestGateway, a: VendorAccount): Promise<any> {
  const { body } = await g.json(`${ORGS}?${q(a)}`)
  expect(body.result).toHaveLength(1)
  const [org] = body.result
  expect((await g.json(`${ORGS}/${encodeURIComponent(org.id)}?${q(a)}`)).body).toEqual(org)
  const other = await g.json(`${ORGS}/not-this-org?${q(a)}`)
  expect(other.status).toBe(404)
  return org
}

/** Workspaces walked two at a time, each read back by id (same record); returns them. */
async function everyWorkspace(g: TestGateway, a: VendorAccount): Promise<any[]> {
  const { records, pages } = await walkAll(g, `${WORKSPACES}?${q(a)}&limit=2`)
  expect(pages).toBe(Math.ceil(records.length / 2))
  expect(new Set(records.map((w) => w.id)).size).toBe(records.length)
  for (const w of records) expect((await g.json(`${WORKSPACES}/${encodeURIComponent(w.id)}?${q(a)}`)).body).toEqual(w)
  return records
}

describe('organizations and workspaces against the simulators', () => {
  const gateway = useGateway()

  it('claude: the organization of its users; four workspaces, one archived', async () => {
    await withSimulatedAccount(gateway.g, 'claude', { users: 5 }, async (a) => {
      const headers = { 'x-api-key': a.sim.credentials.api_key, 'anthropic-version': '2023-06-01' }
      const me = await vendorBody(a.sim, '/v1/organizations/me', headers, claudeOrganization)
      const org = await theOrganization(gateway.g, a)
      expect(org).toMatchObject({ id: me.id, name: 'Unimeter Sandbox', created_at: null, updated_at: null })
      const users = (await gateway.g.json(`${a.list}&limit=1`)).body.result
      expect(users[0].organization.id).toBe(org.id)

      const workspaces = await everyWorkspace(gateway.g, a)
      expect(workspaces.map((w) => w.name)).toEqual(['Production', 'Claude Code', 'Research', 'Hackathon 2024'])
      expect(workspaces.every((w) => w.organization.id === org.id && /^\d{4}-\d\d-\d\dT/.test(w.created_at))).toBe(true)
      expect(workspaces.filter((w) => w.remote_data.archived_at !== null).map((w) => w.name)).toEqual(['Hackathon 2024'])

      // Without include_archived the vendor leaves the archived one out, as Anthropic's does.
      const plain = await vendorBody(a.sim, '/v1/organizations/workspaces?limit=2', headers, claudeWorkspaceList)
      const rest = await vendorBody(a.sim, `/v1/organizations/workspaces?after_id=${plain.last_id}`, headers, claudeWorkspaceList)
      expect([...plain.data, ...rest.data].map((w: any) => w.name)).toEqual(['Production', 'Claude Code', 'Research'])
      await vendorBody(a.sim, `/v1/organizations/workspaces/${workspaces[0].id}`, headers, claudeWorkspace)
      expect((await gateway.g.json(`${WORKSPACES}/wrkspc_01unknown?${q(a)}`)).status).toBe(404)
    })
  })

  it('openai-codex: the organization profile; projects (the ones users belong to) as workspaces', async () => {
    await withSimulatedAccount(gateway.g, 'openai-codex', { users: 8, variant: { fields: 'full' } }, async (a) => {
      const headers = { authorization: `Bearer ${a.sim.credentials.api_key}` }
      const profile = await vendorBody(a.sim, '/organization', headers, openaiOrganization)
      const org = await theOrganization(gateway.g, a)
      expect(org).toMatchObject({ id: profile.id, name: 'Unimeter Sandbox', created_at: '2023-11-06T00:00:00.000Z' })

      const workspaces = await everyWorkspace(gateway.g, a)
      expect(workspaces.map((w) => w.name)).toEqual([
        'Default project',
        'Codex rollout',
        'Internal tools',
        'Evaluations',
        'Legacy prototype',
      ])
      expect(workspaces.every((w) => w.organization.id === org.id)).toBe(true)
      const users = (await walkAll(gateway.g, a.list)).records
      const memberships = new Set(users.flatMap((u) => (u.remote_data.projects?.data ?? []).map((p: any) => p.id)))
      expect(memberships.size).toBeGreaterThan(0)
      for (const id of memberships) expect(workspaces.map((w) => w.id)).toContain(id)

      const plain = await vendorBody(a.sim, '/organization/projects', headers, openaiProjectList)
      expect(plain.data.map((p: any) => p.status)).toEqual(['active', 'active', 'active', 'active'])
      await vendorBody(a.sim, `/organization/projects/${workspaces[4].id}`, headers, openaiProject)
    })
  })

  it("neon: the account's organization; its projects, walked with org_id", async () => {
    await withSimulatedAccount(gateway.g, 'neon', { users: 4 }, async (a) => {
      const headers = { authorization: `Bearer ${a.sim.credentials.api_key}` }
      const orgId = a.sim.context.org_id
      await vendorBody(a.sim, `/organizations/${orgId}`, headers, neonOrganization)
      const org = await theOrganization(gateway.g, a)
      expect(org).toMatchObject({ id: orgId, name: 'Unimeter Sandbox' })
      const users = (await gateway.g.json(`${a.list}&limit=1`)).body.result
      expect(users[0].organization.id).toBe(org.id)

      const workspaces = await everyWorkspace(gateway.g, a)
      expect(workspaces).toHaveLength(7)
      expect(workspaces.every((w) => w.organization.id === orgId && w.updated_at > w.created_at)).toBe(true)
      // Every project is owned by the key's owner, a member of the organization.
      expect(new Set(workspaces.map((w) => w.remote_data.owner_id))).toEqual(new Set([users[0].id]))

      const page = await vendorBody(a.sim, `/projects?org_id=${orgId}&limit=400`, headers, projectList)
      expect(page.projects).toHaveLength(7)
      await vendorBody(a.sim, `/projects/${workspaces[0].id}`, headers, projectGet)
      expect((await fetch(`${a.sim.baseUrl}/projects`, { headers })).status).toBe(400)
    })
  })
})
