/**
 * A user as the `unified` format answers it: every field of the unified schema is present, null
 * where the mapping gave no value (README, "Response formats"). Tests write only the fields a
 * mapping fills; this adds the rest as null, listed from the schema's own keys.
 */
import { usageMeteringUserSchema } from '../../src/models/usage-metering/users'

const NULLS = Object.fromEntries(Object.keys(usageMeteringUserSchema.shape).map((key) => [key, null]))

export function unifiedUser<T extends Record<string, unknown>>(fields: T): Record<string, unknown> & T {
  return { ...NULLS, ...fields }
}
