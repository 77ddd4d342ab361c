/**
 * `GET /projects?org_id=` and `GET /projects/{project_id}`: the organization's projects, owned
 * by member 0 (the key's owner), oldest first. Paging as the reference describes it: `limit`
 * (1–400, default 10) + `cursor`, the cursor in `pagination.cursor`. Like the documented
 * operations example, the cursor is the last item's position and comes on every page, the
 * last included (the page after it is empty).
 * https://api-docs.neon.tech/reference/listprojects
 * https://api-docs.neon.tech/reference/getproject
 * https://api-docs.neon.tech/reference/pagination
 */
import type { SimHandler } from '../../../src/sandbox/simulator-kit'
import { rfc3339, type NeonOrg } from './org'
import { NeonError } from './vendor'

const NAMES = ['production', 'staging', 'analytics', 'preview-branches', 'billing-service', 'ml-features', 'docs-search']
const REGIONS = ['aws-us-east-2', 'aws-eu-central-1', 'aws-us-west-2']
const DAY_MS = 86_400_000
export const MAX_PROJECTS_LIMIT = 400

/** `<adjective>-<noun>-<digits>`-shaped ids, as Neon names projects, fixed per index. */
function projectId(org: NeonOrg, index: number): string {
  const words = ['morning', 'quiet', 'bold', 'silent', 'autumn', 'spring', 'old']
  const nouns = ['bread', 'river', 'fire', 'disk', 'meadow', 'cloud', 'stone']
  const digits = String(10_000_000 + ((org.seed * 7919 + index * 104_729) % 89_999_999))
  return `${words[index % words.length]}-${nouns[(index * 3) % nouns.length]}-${digits}`
}

export function neonProjects(org: NeonOrg) {
  const count = NAMES.length
  const project = (index: number): Record<string, unknown> => {
    const created = org.createdAt + index * 41 * DAY_MS + 3_600_000
    return {
      id: projectId(org, index),
      platform_id: 'aws',
      region_id: REGIONS[index % REGIONS.length],
      name: NAMES[index],
      provisioner: 'k8s-neonvm',
      pg_version: index % 2 === 0 ? 17 : 16,
      proxy_host: `${REGIONS[index % REGIONS.length].replace(/^aws-/, '')}.aws.neon.tech`,
      branch_logical_size_limit: 512,
      branch_logical_size_limit_bytes: 536_870_912,
      store_passwords: true,
      active_time: 3_600 * (index + 1),
      cpu_used_sec: 900 * (index + 1),
      creation_source: 'console',
      created_at: rfc3339(created),
      updated_at: rfc3339(created + (index + 2) * 5 * DAY_MS),
      owner_id: org.userId(0),
      org_id: org.orgId,
    }
  }
  const indexOf = (id: string): number => {
    for (let i = 0; i < count; i++) if (projectId(org, i) === id) return i
    return -1
  }

  const list: SimHandler = (req) => {
    const orgId = req.query.get('org_id')
    if (orgId === null || orgId === '') throw new NeonError(400, 'org_id is required')
    if (orgId !== org.orgId) throw new NeonError(404, 'organization not found')
    const text = req.query.get('limit')
    const limit = text === null ? 10 : Number(text)
    if (text !== null && (!/^\d+$/.test(text) || limit < 1 || limit > MAX_PROJECTS_LIMIT))
      throw new NeonError(400, `limit must be an integer from 1 to ${MAX_PROJECTS_LIMIT}`)
    const cursor = req.query.get('cursor')
    let start = 0
    if (cursor !== null) {
      const at = indexOf(cursor)
      if (at < 0) throw new NeonError(400, 'invalid cursor')
      start = at + 1
    }
    const projects = Array.from({ length: Math.max(0, Math.min(count, start + limit) - start) }, (_, k) => project(start + k))
    const last = projects.at(-1)
    return { status: 200, body: { projects, pagination: { cursor: last ? last.id : (cursor ?? '') } } }
  }

  const get: SimHandler = (req) => {
    const index = indexOf(req.params.project_id)
    if (index < 0) throw new NeonError(404, 'project not found')
    return { status: 200, body: { project: project(index) } }
  }

  return { list, get, count }
}
