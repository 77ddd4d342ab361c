/**
 * A record as the `unified` format answers it: every field of the unified schema is present, null
 * where the mapping gave no value (README, "Response formats"). Tests write only the fields a
 * mapping fills; these add the rest as null, listed from the schema's own keys.
 */
import type { z } from 'zod'
import { usageMeteringOrganizationSchema } from '../../src/models/usage-metering/organizations'
import { usageMeteringUserSchema } from '../../src/models/usage-metering/users'
import { usageMeteringWorkspaceSchema } from '../../src/models/usage-metering/workspaces'

function withNulls(schema: z.ZodObject) {
  const nulls = Object.fromEntries(Object.keys(schema.shape).map((key) => [key, null]))
  return <T extends Record<string, unknown>>(fields: T): Record<string, unknown> & T => ({ ...nulls, ...fields })
}

export const unifiedUser = withNulls(usageMeteringUserSchema)
export const unifiedOrganization = withNulls(usageMeteringOrganizationSchema)
export const unifiedWorkspace = withNulls(usageMeteringWorkspaceSchema)
