/**
 * The simulated organization's profile and projects. The active projects are the ones users
 * belong to (`PROJECT_NAMES`, same ids); one more, archived, shows only with
 * `include_archived=true`, as the API's default leaves archived projects out.
 * https://developers.openai.com/api/reference/resources/admin/subresources/organization/methods/retrieve
 * https://platform.openai.com/docs/api-reference/projects/list
 */
import { base58Noise, type SimRequest } from '../../../src/sandbox/simulator-kit'
import { PROJECT_NAMES, type OpenAIWorld } from './data'
import type { IndexedCollection } from './list-page'
import { BadRequest } from './params'

export interface OpenAIProject {
  id: string
  object: 'organization.project'
  name: string
  created_at: number
  archived_at: number | null
  status: 'active' | 'archived'
}

export interface OpenAIOrganization {
  object: 'organization'
  id: string
  name: string
  title: string
  description: string | null
  personal: boolean
  created_at: number
}

const DAY = 86_400
/** Before the first user joined (2024-01-01): the org existed first. */
const ORG_CREATED = Date.UTC(2023, 10, 6) / 1000
const ARCHIVED_NAME = 'Legacy prototype'

export const PROJECT_COUNT = PROJECT_NAMES.length + 1

export function organizationProfile(world: OpenAIWorld): OpenAIOrganization {
  const slug = `${world.options.domain.split('.')[0]}-${base58Noise(world.options.seed, 0x6f7267, 6).toLowerCase()}`
  return {
    object: 'organization',
    id: `org-${base58Noise(world.options.seed, 0x4f5247, 24)}`,
    name: slug,
    title: 'Unimeter Sandbox',
    description: null,
    personal: false,
    created_at: ORG_CREATED,
  }
}

export function project(world: OpenAIWorld, index: number): OpenAIProject {
  const created = ORG_CREATED + index * 30 * DAY + 3_600 * index
  const archived = index >= PROJECT_NAMES.length
  return {
    id: world.projects.idOf(index),
    object: 'organization.project',
    name: archived ? ARCHIVED_NAME : PROJECT_NAMES[index],
    created_at: created,
    archived_at: archived ? created + 90 * DAY : null,
    status: archived ? 'archived' : 'active',
  }
}

export function projectsCollection(world: OpenAIWorld, req: SimRequest): IndexedCollection<OpenAIProject> {
  const raw = req.query.get('include_archived')
  if (raw !== null && raw !== 'true' && raw !== 'false')
    throw new BadRequest(`Invalid 'include_archived': expected a boolean, but got '${raw}' instead.`, 'include_archived', 'invalid_type')
  const count = raw === 'true' ? PROJECT_COUNT : PROJECT_NAMES.length
  return {
    count,
    ids: world.projects,
    item: (i) => project(world, i),
    nextMatch: (from) => (from >= 0 && from < count ? from : -1),
  }
}
