/**
 * Neon API v2 simulator (https://console.neon.tech/api/v2): the organization, its members,
 * invitations and projects, and the key owner's `/users/me`, behind `Authorization: Bearer <key>`.
 *
 * Options: `seed` (default 42), `users` (members, default 25, up to a million), and variants
 * `apiKey` (default `neon_sandbox_unimeter`), `orgId` (default `org-sandbox-unimeter-12345678`),
 * `orgName`, `pagination: 'none'` for the 2025-10 spec's unpaginated members list, and
 * `lastPageNext: 'keep'` for a `pagination.next` on the last page too (see members.ts), `plan`
 * (default `scale`; `free` and `launch` show the consumption endpoints' plan refusals) and
 * `consumption: 'flat'` for v2 entries with flat metric fields as the docs' example writes them
 * (see consumption.ts).
 */
import { startSimServer, type RunningSimulator, type SimHandler, type StartSimulator } from '../../../src/sandbox/simulator-kit'
import { consumptionHandler, NEON_PLANS, NeonProjects, type NeonPlan } from './consumption'
import { getMemberHandler, listMembersHandler, requireOrg } from './members'
import { DEFAULT_ORG_ID, NeonOrg, ORG_ID_PATTERN } from './org'
import { neonProjects } from './projects'
import { DEFAULT_API_KEY, neonRoute, neonVendor } from './vendor'

export const DEFAULT_USERS = 25
const API = '/api/v2'

export const startSimulator: StartSimulator = async (options = {}): Promise<RunningSimulator> => {
  const seed = options.seed ?? 42
  const apiKey = options.variant?.apiKey ?? DEFAULT_API_KEY
  const orgId = options.variant?.orgId ?? DEFAULT_ORG_ID
  if (!ORG_ID_PATTERN.test(orgId)) throw new Error(`Neon org ids match ${ORG_ID_PATTERN}; got ${orgId}`)
  const org = new NeonOrg(seed, options.users ?? DEFAULT_USERS, orgId, options.variant?.orgName ?? 'Unimeter Sandbox')
  const unpaginated = options.variant?.pagination === 'none'
  const lastPageNext = options.variant?.lastPageNext ?? 'omit'
  if (lastPageNext !== 'omit' && lastPageNext !== 'keep')
    throw new Error(`neon simulator: unknown lastPageNext variant '${lastPageNext}' (expected 'omit' or 'keep')`)

  const plan = (options.variant?.plan ?? 'scale') as NeonPlan
  if (!NEON_PLANS.includes(plan)) throw new Error(`neon simulator: unknown plan '${plan}' (expected ${NEON_PLANS.join(', ')})`)
  const v2Shape = options.variant?.consumption === 'flat' ? 'flat' : 'metrics'
  const projects = new NeonProjects(org)
  const projectList = neonProjects(org)

  const route = (pattern: string, handler: SimHandler) => ({ method: 'GET', pattern: API + pattern, handler: neonRoute(apiKey, handler) })
  const server = await startSimServer({
    seed,
    host: options.host,
    port: options.port,
    vendor: neonVendor,
    routes: [
      route('/users/me', () => ({ status: 200, body: org.currentUser() })),
      route('/users/me/organizations', () => ({ status: 200, body: { organizations: [org.organization()] } })),
      route('/organizations/:org_id', (req) => {
        requireOrg(org, req)
        return { status: 200, body: org.organization() }
      }),
      route('/organizations/:org_id/members', listMembersHandler(org, unpaginated, lastPageNext === 'keep')),
      route('/organizations/:org_id/members/:member_id', getMemberHandler(org)),
      route('/consumption_history/projects', consumptionHandler(org, projects, { version: 'legacy', plan, v2Shape })),
      route('/consumption_history/v2/projects', consumptionHandler(org, projects, { version: 'v2', plan, v2Shape })),
      route('/projects', projectList.list),
      route('/projects/:project_id', projectList.get),
      route('/organizations/:org_id/invitations', (req) => {
        requireOrg(org, req)
        return { status: 200, body: { invitations: org.invitations() } }
      }),
    ],
  })
  return { ...server, baseUrl: server.origin + API, credentials: { api_key: apiKey }, context: { org_id: orgId } }
}
