/**
 * A super-query reads the local copy, so an account that was never synced would answer an empty
 * list, indistinguishable from "no users". Before reading, this checks that a copy exists: some
 * stored record of the resource (a job deleted since keeps its records readable), or a
 * succeeded run of a job that syncs it (an account that truly has none). Otherwise the caller
 * learns why: 409 while the first run is still going (retry once it ends), 422 when no job
 * syncs the resource (no retry helps: create and run one).
 */
import { and, eq, inArray } from 'drizzle-orm'
import { syncJobRuns, syncJobs, syncRecords } from '../../db/schema'
import { ApiError } from '../../lib/http-errors'
import type { GatewayServices } from '../../services'
import { jobResources } from '../job-store'

export async function assertSyncedCopy(services: GatewayServices, accountId: string, resourceKey: string): Promise<void> {
  const stored = await services.db
    .select({ id: syncRecords.recordId })
    .from(syncRecords)
    .where(and(eq(syncRecords.integratedAccountId, accountId), eq(syncRecords.resource, resourceKey)))
    .limit(1)
  if (stored.length > 0) return
  const jobs = (await services.db.select().from(syncJobs).where(eq(syncJobs.integratedAccountId, accountId))).filter((job) =>
    jobResources(job).some((r) => r.resource === resourceKey),
  )
  const runs = jobs.length
    ? await services.db
        .select({ id: syncJobRuns.id, status: syncJobRuns.status })
        .from(syncJobRuns)
        .where(
          inArray(
            syncJobRuns.syncJobId,
            jobs.map((j) => j.id),
          ),
        )
    : []
  if (runs.some((r) => r.status === 'succeeded')) return
  const running = runs.find((r) => r.status === 'created' || r.status === 'running')
  if (running) {
    throw new ApiError(
      409,
      'sync_in_progress',
      `The first sync of ${resourceKey} for integrated account ${accountId} is still running (run ${running.id}); retry once it has ended`,
    )
  }
  const how = jobs.length
    ? `run sync job ${jobs[0].id} (POST /sync-job/${jobs[0].id}/run) until it succeeds`
    : `create a sync job (POST /sync-job {"integrated_account_id": "${accountId}", "resources": [{"resource": "${resourceKey}"}]}) and run it`
  throw new ApiError(
    422,
    'super_query_not_synced',
    `No sync of ${resourceKey} has completed for integrated account ${accountId}, so there is no local copy to query: ${how}`,
  )
}
