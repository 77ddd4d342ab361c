import { ModelRegistry } from './model-registry'
import { usageMeteringUsage } from './usage-metering/usage'
import { usageMeteringUsers } from './usage-metering/users'

/** Every unified (model, resource) the gateway serves. */
export const models = new ModelRegistry([usageMeteringUsers, usageMeteringUsage])
export { ModelRegistry, resourceKey, type UnifiedResource } from './model-registry'
