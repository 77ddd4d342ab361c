/**
 * `usage-metering/organizations`: the vendor organization (team, account) an integrated account
 * belongs to. Truto's fields (id, name, created_at, updated_at, remote_data); most keys see one.
 */
import { z } from '@hono/zod-openapi'
import type { UnifiedResource } from '../model-registry'
import { noListParams, remoteData, timestamp } from './shared-fields'

export const usageMeteringOrganizationSchema = z
  .object({
    id: z
      .string()
      .openapi({ description: 'Unique identifier of the organization in the source application.', example: 'org-morning-bread-81040908' }),
    name: z.string().nullable().openapi({ description: 'Name of the organization.', example: 'Morning Bread' }),
    created_at: timestamp,
    updated_at: timestamp,
    remote_data: remoteData,
  })
  .openapi('UsageMeteringOrganization')

export type UsageMeteringOrganization = z.infer<typeof usageMeteringOrganizationSchema>

export const usageMeteringOrganizations: UnifiedResource = {
  model: 'usage-metering',
  resource: 'organizations',
  description: 'The organization (team, account) the integrated account belongs to.',
  schema: usageMeteringOrganizationSchema,
  listParams: noListParams,
  timestampFields: ['created_at', 'updated_at'],
  filterable: { ranges: ['created_at', 'updated_at'] },
  methods: ['list', 'get'],
  key: ['id'],
  changedAtField: 'updated_at',
  sync: { mode: 'snapshot' },
}
