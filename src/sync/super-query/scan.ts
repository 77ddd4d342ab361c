/**
 * Every stored record of one account's copy that passes the filters, read in batches by record
 * id (the primary key's order), so an aggregate over a 90-day copy holds one batch of parsed
 * records at a time rather than the whole copy. remote_data is not read: aggregates never show it.
 */
import { asc, gt } from 'drizzle-orm'
import type { AppDatabase } from '../../db/database'
import { syncRecords } from '../../db/schema'
import type { SuperQueryFilters } from './filters'
import { liveRecords } from '../record-writes'
import { filterConditions } from './read'

const BATCH = 1000

export async function* scanStoredRecords(
  db: AppDatabase,
  input: { accountId: string; resourceKey: string; filters: SuperQueryFilters },
): AsyncGenerator<Record<string, unknown>> {
  let after: string | undefined
  for (;;) {
    const rows = await db
      .select({ recordId: syncRecords.recordId, unified: syncRecords.unified })
      .from(syncRecords)
      .where(
        liveRecords(
          input.accountId,
          input.resourceKey,
          ...filterConditions(input.filters),
          ...(after === undefined ? [] : [gt(syncRecords.recordId, after)]),
        ),
      )
      .orderBy(asc(syncRecords.recordId))
      .limit(BATCH)
    for (const row of rows) yield JSON.parse(row.unified) as Record<string, unknown>
    if (rows.length < BATCH) return
    after = rows[rows.length - 1].recordId
  }
}
