import { ModelRegistry } from './model-registry'
import { usageMeteringOrganizations } from './usage-metering/organizations'
import { usageMeteringUsage } from './usage-metering/usage'
import { usageMeteringUsers } from './usage-metering/users'
import { usageMeteringWorkspaces } from './usage-metering/workspaces'

/** Every unified (model, resource) the gateway serves. */
export const models = new ModelRegistry([usageMeteringUsers, usageMeteringUsage, usageMeteringOrganizations, usageMeteringWorkspaces])
export { ModelRegistry, resourceKey, type UnifiedResource } from './model-registry'
