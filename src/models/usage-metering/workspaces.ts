/**
 * `usage-metering/workspaces`: the units an organization splits its usage and keys into
 * (Claude workspaces, OpenAI projects, Neon projects). Truto's fields: id, name,
 * organization {id}, created_at, updated_at, remote_data.
 */
import { z } from '@hono/zod-openapi'
import type { UnifiedResource } from '../model-registry'
import { noListParams, remoteData, timestamp } from './shared-fields'

export const usageMeteringWorkspaceSchema = z
  .object({
    id: z.string().openapi({
      description: 'Unique identifier of the workspace in the source application.',
      example: 'wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ',
    }),
    name: z.string().nullable().openapi({ description: 'Name of the workspace.', example: 'Workspace Name' }),
    organization: z.object({ id: z.string().nullable() }).nullable().openapi({ description: 'Workspace belongs to this organization.' }),
    created_at: timestamp,
    updated_at: timestamp,
    remote_data: remoteData,
  })
  .openapi('UsageMeteringWorkspace')

export type UsageMeteringWorkspace = z.infer<typeof usageMeteringWorkspaceSchema>

export const usageMeteringWorkspaces: UnifiedResource = {
  model: 'usage-metering',
  resource: 'workspaces',
  description: 'Workspaces (projects) of the organization, in one shape whatever the vendor.',
  schema: usageMeteringWorkspaceSchema,
  listParams: noListParams,
  timestampFields: ['created_at', 'updated_at'],
  filterable: { ranges: ['created_at', 'updated_at'] },
  methods: ['list', 'get'],
  key: ['id'],
  changedAtField: 'updated_at',
  sync: { mode: 'snapshot' },
}
