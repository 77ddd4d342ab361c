import { ModelRegistry } from './model-registry'
import { usageMeteringOrganizations } from './usage-metering/organizations'
import { usageMeteringUsers } from './usage-metering/users'
import { usageMeteringWorkspaces } from './usage-metering/workspaces'

/** Every unified (model, resource) the gateway serves. */
export const models = new ModelRegistry([usageMeteringUsers, usageMeteringOrganizations, usageMeteringWorkspaces])
export { ModelRegistry, resourceKey, type UnifiedResource } from './model-registry'
