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
  /** Fields a super-query (local copy) can filter on, and how (src/sync/super-query/filters.ts). */
  filterable?: {
    equals?: string[]
    emails?: string
    ranges?: string[]
    /** List parameters of the resource a super-query honours too, by the equals field they filter: `model_ids` → `model.id`. */
    lists?: Record<string, string>
    /** The live list's period, on the copy: `start` (inclusive) and `end` (exclusive) bound `field`. */
    period?: { field: string; start: string; end: string }
  }
  /** The unified methods this resource has (usage is list-only). */
  methods: readonly ResourceMethod[]
  /** Fields whose values together identify a record; the key sync stores records by. */
  key: readonly string[]
  /** The field saying when a record last changed, or null when the vendor has none. */
  changedAtField: string | null
  /** How a sync job keeps its copy of this resource. */
  sync: ResourceSyncMode
  /**
   * Usage-shaped records (charges, usage.tokens, usage.requests, user) can be summed on the local
   * copy: super-query `group_by[]` and `tenant_id` answer with rows of this schema.
   */
  aggregates?: z.ZodObject
}

export type ResourceMethod = 'list' | 'get'

export type ResourceSyncMode =
  /** The whole set on every run; a record unseen in a complete run is marked deleted. */
  | { mode: 'snapshot' }
  /**
   * Time-bucketed records: upserted by key, restated buckets updated in place, nothing marked
   * deleted by absence. `startField`/`endField` bound a record's bucket; an incremental run goes
   * back `lookbackDays` from its watermark because vendors restate recent buckets.
   */
  | { mode: 'window'; startField: string; endField: string; lookbackDays: number }

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
