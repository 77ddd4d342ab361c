/**
 * What the Neon API v2 answers on the endpoints the connector calls, as zod schemas written from
 * the OpenAPI spec and the reference pages (https://api-docs.neon.tech/reference,
 * https://neon.com/docs/reference/api). Tests check the documented examples (test/fixtures/neon)
 * and the simulator's bodies against these. Extra fields are allowed.
 */
import { z } from 'zod'

const timestamp = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/)
const orgId = z.string().regex(/^[a-z0-9-]{1,60}$/)
const role = z.enum(['admin', 'member'])

/** GET /organizations/{org_id}/members; `pagination` only on the paginated form, `next` while more remain. */
export const organizationMembers = z.object({
  members: z.array(
    z.object({
      member: z.object({ id: z.string().uuid(), user_id: z.string().uuid(), org_id: orgId, role, joined_at: timestamp.optional() }),
      user: z.object({ email: z.string().min(1), has_mfa: z.boolean().optional() }),
    }),
  ),
  pagination: z.object({ next: z.string().min(1).optional() }).optional(),
})

/** GET /organizations/{org_id}/invitations */
export const organizationInvitations = z.object({
  invitations: z.array(
    z.object({
      id: z.string().uuid(),
      email: z.string().min(1).max(256),
      org_id: orgId,
      invited_by: z.string(),
      role,
      invited_at: timestamp,
    }),
  ),
})

/** GET /organizations/{org_id} */
export const organization = z.object({
  id: orgId,
  name: z.string(),
  handle: z.string(),
  plan: z.string(),
  created_at: timestamp,
  updated_at: timestamp,
  managed_by: z.string(),
})

/** GET /users/me (the fields the mapping reads, and the schema's other required ones). */
export const currentUser = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  last_name: z.string(),
  login: z.string(),
  image: z.string(),
  active_seconds_limit: z.number(),
  projects_limit: z.number(),
  branches_limit: z.number(),
  max_autoscaling_limit: z.number(),
  auth_accounts: z.array(z.object({ email: z.string(), provider: z.string() })),
  plan: z.string(),
})

/**
 * One consumption bucket. The legacy endpoint writes each metric as a field of the bucket; the v2
 * endpoint's spec nests them as `metrics: [{metric_name, value}]`, while its docs' example writes
 * them flat like the legacy one: both forms are accepted.
 */
const consumptionBucket = z
  .object({
    timeframe_start: timestamp,
    timeframe_end: timestamp,
    metrics: z.array(z.object({ metric_name: z.string(), value: z.number() })).optional(),
  })
  .catchall(z.union([z.number(), z.string(), z.array(z.unknown())]))

/**
 * GET /consumption_history/projects (legacy metrics) and GET /consumption_history/v2/projects:
 * `projects[].periods[].consumption[]`, `pagination.cursor` naming the last project served.
 */
export const consumptionHistory = z.object({
  projects: z.array(
    z.object({
      project_id: z.string().min(1),
      periods: z.array(
        z.object({
          period_id: z.string(),
          period_plan: z.string(),
          period_start: timestamp,
          period_end: timestamp.optional(),
          consumption: z.array(consumptionBucket),
        }),
      ),
    }),
  ),
  pagination: z.object({ cursor: z.string() }).optional(),
})

/** A project (list item or `project` of the get): the fields the mapping reads, and a few more. */
const project = z.object({
  id: z.string().min(1),
  name: z.string(),
  platform_id: z.string(),
  region_id: z.string(),
  pg_version: z.number().int(),
  created_at: timestamp,
  updated_at: timestamp,
  owner_id: z.string(),
  org_id: orgId.optional(),
})

/**
 * GET /projects: `pagination.cursor` for the next call (the reference does not say whether the
 * last page carries one).
 * https://api-docs.neon.tech/reference/listprojects
 */
export const projectList = z.object({
  projects: z.array(project),
  pagination: z.object({ cursor: z.string() }).optional(),
})

/** GET /projects/{project_id}: https://api-docs.neon.tech/reference/getproject */
export const projectGet = z.object({ project })
