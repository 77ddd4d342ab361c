/**
 * One page of the local copy, filtered and sorted, with keyset pagination on (sort value, id)
 * as in drizzle's cursor-pagination guide: the cursor holds the last row's sort value and id,
 * and the next page starts strictly after that pair, so inserts and deletions between pages
 * neither repeat nor skip records. Missing sort values sort as the empty string (first
 * ascending, last descending).
 */
import { and, asc, desc, eq, gt, gte, isNull, lt, lte, sql, type SQL } from 'drizzle-orm'
import { afterKeyset } from '../../db/keyset'
import type { KeysetPosition } from '../../engine/position-codec'
import { syncRecords } from '../../db/schema'
import type { GatewayServices } from '../../services'
import type { UnifiedResource } from '../../models/model-registry'
import { withChangeTime, type Facets } from '../record-codec'
import { ID_FIELD, type SuperQueryFilters } from './filters'

export interface StoredPage {
  records: Record<string, unknown>[]
  next: KeysetPosition | null
}

/** A facet's JSON path; quoted, since a facet of a nested field is named by its dotted path. */
export const facetPath = (field: string) => `$."${field}"`
const facet = (field: string) => sql`json_extract(${syncRecords.facets}, ${facetPath(field)})`
const sortKey = (field: string): SQL => (field === ID_FIELD ? sql`${syncRecords.recordId}` : sql`coalesce(${facet(field)}, '')`)

const RANGE = { gt, gte, lt, lte }

/** The filters as SQL over the facets column. */
export function filterConditions(filters: SuperQueryFilters): SQL[] {
  const where: SQL[] = []
  for (const { field, values } of filters.equals) {
    where.push(
      sql`${facet(field)} in (${sql.join(
        values.map((v) => sql`${v}`),
        sql`, `,
      )})`,
    )
  }
  if (filters.emails) {
    const { field, values } = filters.emails
    where.push(
      sql`exists (select 1 from json_each(${syncRecords.facets}, ${facetPath(field)}) where value in (${sql.join(
        values.map((v) => sql`${v}`),
        sql`, `,
      )}))`,
    )
  }
  // A record without the value never matches a range.
  for (const { field, op, value } of filters.ranges) where.push(RANGE[op](facet(field), value))
  return where
}

/** The stored record as the unified API shows it. */
function toRecord(resource: UnifiedResource, row: { unified: string; remoteData: string | null; facets: string }): Record<string, unknown> {
  const record = withChangeTime(resource, JSON.parse(row.unified) as Record<string, unknown>, JSON.parse(row.facets) as Facets)
  record.remote_data = row.remoteData === null ? null : JSON.parse(row.remoteData)
  return record
}

export async function readStoredPage(
  services: GatewayServices,
  input: {
    accountId: string
    resource: UnifiedResource
    resourceKey: string
    filters: SuperQueryFilters
    after?: KeysetPosition
    limit: number
  },
): Promise<StoredPage> {
  const { filters, after } = input
  const key = sortKey(filters.sort.field)
  const where = [
    eq(syncRecords.integratedAccountId, input.accountId),
    eq(syncRecords.resource, input.resourceKey),
    isNull(syncRecords.deletedAt),
    ...filterConditions(filters),
  ]
  if (after) where.push(afterKeyset(filters.sort.direction, key, syncRecords.recordId, { key: after.sortValue, id: after.recordId }))
  const order = filters.sort.direction === 'asc' ? asc : desc
  const rows = await services.db
    .select({
      recordId: syncRecords.recordId,
      unified: syncRecords.unified,
      remoteData: syncRecords.remoteData,
      facets: syncRecords.facets,
      sortValue: sql<string>`${key}`,
    })
    .from(syncRecords)
    .where(and(...where))
    .orderBy(order(key), order(syncRecords.recordId))
    .limit(input.limit + 1)
  const page = rows.slice(0, input.limit)
  const last = page[page.length - 1]
  return {
    records: page.map((row) => toRecord(input.resource, row)),
    next: rows.length > input.limit && last ? { sortValue: String(last.sortValue), recordId: last.recordId } : null,
  }
}
