/**
 * The list parameters of a resource: its own (model-registry.ts) plus those its connectors
 * declare for it (`ResourceMethods.listParams`, e.g. Claude's `date` on users). One schema for
 * every account, so the route documents and validates a vendor's parameter the same whatever
 * the account's vendor; a vendor that does not declare one ignores it. A name two connectors
 * declare keeps the first declaration (in connector order).
 */
import type { z } from 'zod'
import type { ConnectorRegistry } from '../../connectors/registry'
import { resourceKey, type UnifiedResource } from '../models/model-registry'

export function listParamsOf(resource: UnifiedResource, connectors: ConnectorRegistry): z.ZodObject {
  const key = resourceKey(resource)
  const shape: Record<string, z.ZodType> = {}
  for (const connector of connectors.all()) {
    for (const [name, schema] of Object.entries(connector.resources[key]?.listParams?.shape ?? {})) shape[name] ??= schema
  }
  return resource.listParams.extend({ ...shape, ...resource.listParams.shape })
}
