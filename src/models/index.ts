import { ModelRegistry } from './model-registry'
import { usageMeteringUsers } from './usage-metering/users'

/** Every unified (model, resource) the gateway serves. */
export const models = new ModelRegistry([usageMeteringUsers])
export { ModelRegistry, resourceKey, type UnifiedResource } from './model-registry'
