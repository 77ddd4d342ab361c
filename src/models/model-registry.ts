/**
 * Unified models and their resources. Routes, formats, cursors, sync and the CLI are generic
 * over this registry: adding a resource is a schema here plus connector entries and mappings.
 */
import type { z } from 'zod'

export interface UnifiedResource {
  /** e.g. `usage-metering` */
  model: string
  /** e.g. `users` */
  resource: string
  description: string
  /** The unified record (drives `normalized`, OpenAPI and the support matrix). */
  schema: z.ZodObject
  /** Resource-level query parameters of list (documented and validated), e.g. Claude's `date`. */
  listParams: z.ZodObject
  /** Fields holding timestamps, normalized to ISO-8601 UTC. */
  timestampFields: string[]
  /** Fields a super-query (local copy) can filter on, and how. */
  filterable?: { equals?: string[]; emails?: string; ranges?: string[] }
}

export function resourceKey(r: Pick<UnifiedResource, 'model' | 'resource'>): string {
  return `${r.model}/${r.resource}`
}

export class ModelRegistry {
  private readonly byKey = new Map<string, UnifiedResource>()

  constructor(resources: UnifiedResource[]) {
    for (const r of resources) this.byKey.set(resourceKey(r), r)
  }

  get(model: string, resource: string): UnifiedResource | undefined {
    return this.byKey.get(`${model}/${resource}`)
  }

  all(): UnifiedResource[] {
    return [...this.byKey.values()]
  }
}
