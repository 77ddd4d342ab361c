/**
 * Records put into a local copy the way a sync run stores them (split, facets, upsert), for
 * suites that test what reads the copy rather than how a run fills it.
 */
import { sqliteTransactionWriter } from '../../../src/db/atomic'
import type { AppDatabase } from '../../../src/db/database'
import { resourceKey, type UnifiedResource } from '../../../src/models/model-registry'
import { computeFacets, splitRecord } from '../../../src/sync/record-codec'
import { upsertRecords } from '../../../src/sync/record-writes'

export async function storeRecords(db: AppDatabase, accountId: string, resource: UnifiedResource, records: Record<string, unknown>[]) {
  const now = '2026-12-01T00:00:00.000Z'
  const scope = { accountId, resourceKey: resourceKey(resource), runId: 'run-test', jobId: 'job-test', now }
  const contents = records.map((record) => {
    const parts = splitRecord(resource, record)
    if (!parts) throw new Error(`record without an id: ${JSON.stringify(record)}`)
    return { ...parts, contentHash: `${parts.id}:${JSON.stringify(parts.unified)}`, facets: computeFacets(resource, parts.unified, now) }
  })
  await sqliteTransactionWriter(db).run(upsertRecords(db, scope, contents).statements)
}
