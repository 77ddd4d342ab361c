/** Sync-job runs in the database, and their API view. */
import { and, desc, eq, inArray, type SQL } from 'drizzle-orm'
import { afterKeyset } from '../db/keyset'
import { inScope, type TenantScope } from '../accounts/tenant-scope'
import { integratedAccounts, syncJobRuns, type SyncJobRunRow } from '../db/schema'
import { ApiError } from '../lib/http-errors'
import type { GatewayServices } from '../services'
import type { RunError, RunStatus, RunView } from './api-schemas'
import { UNFINISHED } from './lease'

export function runView(row: SyncJobRunRow): RunView {
  return {
    id: row.id,
    sync_job_id: row.syncJobId,
    integrated_account_id: row.integratedAccountId,
    status: row.status as RunStatus,
    trigger: row.trigger as RunView['trigger'],
    started_at: row.startedAt,
    finished_at: row.finishedAt,
    pages_fetched: row.pagesFetched,
    counts: { added: row.added, updated: row.updated, deleted: row.deleted, unchanged: row.unchanged },
    is_partial: row.isPartial,
    deletions_held: row.deletionsHeld,
    cancel_requested: row.cancelRequested,
    error: row.error ? (JSON.parse(row.error) as RunError) : null,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  }
}

export async function findRun(services: GatewayServices, id: string): Promise<SyncJobRunRow | undefined> {
  return (await services.db.select().from(syncJobRuns).where(eq(syncJobRuns.id, id)).limit(1))[0]
}

/** The run, if `tenant` may see it (its account is in the tenant): otherwise not found, like a missing one. */
export async function runOr404(services: GatewayServices, id: string, tenant: TenantScope): Promise<SyncJobRunRow> {
  const row = await findRun(services, id)
  const visible = row && (tenant === null || inScope(tenant, (await services.accounts.get(row.integratedAccountId))?.tenantId ?? null))
  if (!row || !visible) throw new ApiError(404, 'sync_job_run_not_found', `No sync job run with id ${id}`)
  return row
}

export async function unfinishedRunOf(services: GatewayServices, jobId: string): Promise<SyncJobRunRow | undefined> {
  return (
    await services.db
      .select()
      .from(syncJobRuns)
      .where(and(eq(syncJobRuns.syncJobId, jobId), inArray(syncJobRuns.status, [...UNFINISHED])))
      .limit(1)
  )[0]
}

/**
 * A new run, already leased to `owner` so no other process starts it first. Undefined when the
 * job has an unfinished run (the unique index on unfinished runs refused a second one).
 */
export async function insertRun(
  services: GatewayServices,
  input: { jobId: string; accountId: string; trigger: RunView['trigger']; owner: string; now: number; ttlMs: number },
): Promise<SyncJobRunRow | undefined> {
  const iso = new Date(input.now).toISOString()
  const rows = await services.db
    .insert(syncJobRuns)
    .values({
      id: crypto.randomUUID(),
      syncJobId: input.jobId,
      integratedAccountId: input.accountId,
      status: 'created',
      trigger: input.trigger,
      leaseOwner: input.owner,
      leaseExpiresAt: input.now + input.ttlMs,
      createdAt: iso,
      updatedAt: iso,
    })
    .onConflictDoNothing()
    .returning()
  return rows[0]
}

interface RunFilter {
  jobId?: string
  accountId?: string
  /** Only runs of this tenant's accounts (null: every tenant). */
  tenant: TenantScope
  status?: RunStatus
  /** Keyset: runs created before this (created_at, id). */
  before?: { createdAt: string; id: string }
  limit: number
}

/** Newest first. */
export async function listRuns(services: GatewayServices, filter: RunFilter): Promise<SyncJobRunRow[]> {
  const where: SQL[] = []
  if (filter.jobId) where.push(eq(syncJobRuns.syncJobId, filter.jobId))
  if (filter.accountId) where.push(eq(syncJobRuns.integratedAccountId, filter.accountId))
  if (filter.tenant !== null) {
    const accountsOfTenant = services.db
      .select({ id: integratedAccounts.id })
      .from(integratedAccounts)
      .where(eq(integratedAccounts.tenantId, filter.tenant))
    where.push(inArray(syncJobRuns.integratedAccountId, accountsOfTenant))
  }
  if (filter.status) where.push(eq(syncJobRuns.status, filter.status))
  if (filter.before)
    where.push(afterKeyset('desc', syncJobRuns.createdAt, syncJobRuns.id, { key: filter.before.createdAt, id: filter.before.id }))
  return services.db
    .select()
    .from(syncJobRuns)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(syncJobRuns.createdAt), desc(syncJobRuns.id))
    .limit(filter.limit)
}
