/**
 * `usage-metering/organizations` and `usage-metering/workspaces` on the vendors' own documented
 * examples (test/fixtures), fed through connector and mapping by a replay of the vendor, asserted
 * field by field; the examples also satisfy the wire schemas the simulators are held to.
 */
import { describe, expect, it } from 'vitest'
import { claudeOrganization, claudeWorkspace, claudeWorkspaceList } from '../../connectors/claude/wire-schemas'
import { organization as neonOrganization, projectList as neonProjectList } from '../../connectors/neon/wire-schemas'
import { openaiOrganization, openaiProject, openaiProjectList } from '../../connectors/openai-codex/wire-schemas'
import claudeMe from '../fixtures/claude/organizations-me'
import claudeWorkspaceGet from '../fixtures/claude/workspaces-get'
import claudeWorkspaces from '../fixtures/claude/workspaces-list'
import neonOrg from '../fixtures/neon/organization'
import neonProjects, { ORG_ID as NEON_ORG_ID } from '../fixtures/neon/projects-list'
import openaiOrg from '../fixtures/openai-codex/organization'
import openaiProjectGet from '../fixtures/openai-codex/projects-get'
import openaiProjects from '../fixtures/openai-codex/projects-list'
import openaiUsers from '../fixtures/openai-codex/users-list'
import { unifiedOrganization, unifiedWorkspace } from '../support/unified-user'
import { useReplayAccount } from './support/vendor-accounts'
import { describeDocExamples } from './support/wire-examples'

const ORGS = '/unified/usage-metering/organizations'
const WORKSPACES = '/unified/usage-metering/workspaces'

describeDocExamples('claude organizations and workspaces', [
  ['organizations-me', claudeOrganization, claudeMe],
  ['workspaces-list', claudeWorkspaceList, claudeWorkspaces],
  ['workspaces-get', claudeWorkspace, claudeWorkspaceGet],
])
describeDocExamples('openai organization and projects', [
  ['organization', openaiOrganization, openaiOrg],
  ['projects-list', openaiProjectList, openaiProjects],
  ['projects-get', openaiProject, openaiProjectGet],
])
describeDocExamples('neon organization and projects', [
  ['organization', neonOrganization, neonOrg],
  ['projects-list', neonProjectList, neonProjects],
])

describe('claude: the organization and its workspaces from the reference examples', () => {
  const vendor = useReplayAccount(
    'claude',
    '',
    {
      'GET /v1/organizations/me': claudeMe,
      'GET /v1/organizations/workspaces': claudeWorkspaces,
      // The example promises more with a placeholder cursor: the page after it ends the walk.
      'GET /v1/organizations/workspaces?after_id=last_id': { data: [], first_id: null, has_more: false, last_id: null },
      'GET /v1/organizations/workspaces/wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ': claudeWorkspaceGet,
    },
    { api_key: 'sk-ant-admin01-recorded' },
  )
  const org = unifiedOrganization({ id: '12345678-1234-5678-1234-567812345678', name: 'Organization Name', remote_data: claudeMe })
  const workspace = unifiedWorkspace({
    id: 'wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ',
    name: 'Workspace Name',
    organization: { id: '12345678-1234-5678-1234-567812345678' },
    created_at: '2024-10-30T23:58:27.427Z',
    remote_data: claudeWorkspaces.data[0],
  })

  it('lists the one organization and gets it by id; another id is a 404', async () => {
    expect((await vendor.g.json(`${ORGS}?${vendor.q}`)).body).toEqual({
      result: [org],
      next_cursor: null,
      prev_cursor: null,
      result_count: 1,
    })
    expect((await vendor.g.json(`${ORGS}/${org.id}?${vendor.q}`)).body).toEqual(org)
    expect((await vendor.g.json(`${ORGS}/someone-else?${vendor.q}`)).status).toBe(404)
  })

  it('lists workspaces, archived ones included, and gets one', async () => {
    expect((await vendor.g.json(`${WORKSPACES}?${vendor.q}`)).body).toEqual({
      result: [workspace],
      next_cursor: null,
      prev_cursor: null,
      result_count: 1,
    })
    const sent = vendor.replay.requests.find((r) => r.path === '/v1/organizations/workspaces')
    expect(new URLSearchParams(sent!.query).get('include_archived')).toBe('true')
    expect((await vendor.g.json(`${WORKSPACES}/${workspace.id}?${vendor.q}`)).body).toEqual({
      ...workspace,
      remote_data: claudeWorkspaceGet,
    })
  })
})

describe('openai: the organization profile and projects from the reference examples', () => {
  const vendor = useReplayAccount(
    'openai-codex',
    '/v1',
    {
      'GET /organization/users': openaiUsers,
      'GET /organization': openaiOrg,
      'GET /organization/projects': openaiProjects,
      'GET /organization/projects/id': openaiProjectGet,
    },
    { api_key: 'sk-admin-recorded' },
  )
  const org = unifiedOrganization({ id: 'id', name: 'title', created_at: '1970-01-01T00:00:00.000Z', remote_data: openaiOrg })

  it('lists the organization (display title as its name) and gets it by id', async () => {
    expect((await vendor.g.json(`${ORGS}?${vendor.q}`)).body.result).toEqual([org])
    expect((await vendor.g.json(`${ORGS}/id?${vendor.q}`)).body).toEqual(org)
  })

  it('lists projects as workspaces of the organization, and gets one', async () => {
    expect((await vendor.g.json(`${WORKSPACES}?${vendor.q}`)).body.result).toEqual([
      unifiedWorkspace({
        id: 'proj_abc',
        name: 'Project example',
        organization: { id: 'id' },
        created_at: '2024-03-26T16:45:33.000Z',
        remote_data: openaiProjects.data[0],
      }),
    ])
    expect((await vendor.g.json(`${WORKSPACES}/id?${vendor.q}`)).body).toEqual(
      unifiedWorkspace({
        id: 'id',
        name: 'name',
        organization: { id: 'id' },
        created_at: '1970-01-01T00:00:00.000Z',
        remote_data: openaiProjectGet,
      }),
    )
  })
})

describe('neon: the organization and its projects from the reference examples', () => {
  const vendor = useReplayAccount(
    'neon',
    '/api/v2',
    {
      [`GET /organizations/${NEON_ORG_ID}`]: neonOrg,
      'GET /projects': neonProjects,
      // The cursor comes on the last page too; the page after it is empty.
      'GET /projects?cursor=old-fire-32990194': { projects: [], pagination: { cursor: 'old-fire-32990194' } },
      'GET /projects/old-fire-32990194': { project: neonProjects.projects[0] },
    },
    { api_key: 'napi_recorded', org_id: NEON_ORG_ID },
  )

  it('lists the organization with its times and gets it by id', async () => {
    const org = unifiedOrganization({
      id: NEON_ORG_ID,
      name: 'Morning Bread',
      created_at: '2024-02-01T10:00:00.000Z',
      updated_at: '2024-02-01T10:00:00.000Z',
      remote_data: neonOrg,
    })
    expect((await vendor.g.json(`${ORGS}?${vendor.q}`)).body.result).toEqual([org])
    expect((await vendor.g.json(`${ORGS}/${NEON_ORG_ID}?${vendor.q}`)).body).toEqual(org)
  })

  it("lists the organization's projects (asking with its org_id) and gets one", async () => {
    const project = unifiedWorkspace({
      id: 'old-fire-32990194',
      name: 'old-fire-32990194',
      organization: { id: NEON_ORG_ID },
      created_at: '2025-03-10T10:29:04.000Z',
      updated_at: '2025-03-10T10:29:14.000Z',
      remote_data: neonProjects.projects[0],
    })
    expect((await vendor.g.json(`${WORKSPACES}?${vendor.q}`)).body.result).toEqual([project])
    const sent = vendor.replay.requests.find((r) => r.path === '/api/v2/projects')
    expect(new URLSearchParams(sent!.query).get('org_id')).toBe(NEON_ORG_ID)
    expect((await vendor.g.json(`${WORKSPACES}/old-fire-32990194?${vendor.q}`)).body).toEqual(project)
  })
})
