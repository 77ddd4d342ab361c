/** Sync jobs in the database, and their API view. */
import { and, asc, eq, gt, ne, type SQL } from 'drizzle-orm'
import { inScope, type TenantScope } from '../accounts/tenant-scope'
import { integratedAccounts, syncJobs, type SyncJobRow } from '../db/schema'
import { ApiError } from '../lib/http-errors'
import type { GatewayServices } from '../services'
import type { JobResource, JobView } from './api-schemas'
import { nextRunAfter } from './schedule'

export interface JobWithAccount {
  job: SyncJobRow
  /** The account's status: `needs_reauth` pauses the job. */
  accountStatus: string
  /** The account's tenant: a tenant-bound token sees only its tenant's jobs. */
  accountTenantId: string | null
}

export function jobResources(job: SyncJobRow): JobResource[] {
  return JSON.parse(job.resources) as JobResource[]
}

export function jobView({ job, accountStatus }: Pick<JobWithAccount, 'job' | 'accountStatus'>): JobView {
  return {
    id: job.id,
    integrated_account_id: job.integratedAccountId,
    resources: jobResources(job),
    schedule: job.schedule,
    is_active: job.isActive,
    status: !job.isActive ? 'inactive' : accountStatus === 'needs_reauth' ? 'paused' : 'active',
    next_run_at: job.nextRunAt === null ? null : new Date(job.nextRunAt).toISOString(),
    created_at: job.createdAt,
    updated_at: job.updatedAt,
  }
}

/** When the job runs next: only active jobs with a schedule have a next run. */
function nextRunOf(schedule: string | null, isActive: boolean, now: Date): number | null {
  return schedule && isActive ? nextRunAfter(schedule, now) : null
}

const withAccount = (services: GatewayServices) =>
  services.db
    .select({ job: syncJobs, accountStatus: integratedAccounts.status, accountTenantId: integratedAccounts.tenantId })
    .from(syncJobs)
    .innerJoin(integratedAccounts, eq(integratedAccounts.id, syncJobs.integratedAccountId))

export async function findJob(services: GatewayServices, id: string): Promise<JobWithAccount | undefined> {
  return (await withAccount(services).where(eq(syncJobs.id, id)).limit(1))[0]
}

/** The job, if `tenant` may see it: another tenant's job is not found, like a missing one. */
export async function jobOr404(services: GatewayServices, id: string, tenant: TenantScope): Promise<JobWithAccount> {
  const found = await findJob(services, id)
  if (!found || !inScope(tenant, found.accountTenantId)) throw new ApiError(404, 'sync_job_not_found', `No sync job with id ${id}`)
  return found
}

export async function listJobs(
  services: GatewayServices,
  filter: { accountId?: string; tenant: TenantScope; afterId?: string; limit: number },
): Promise<JobWithAccount[]> {
  const where: SQL[] = []
  if (filter.tenant !== null) where.push(eq(integratedAccounts.tenantId, filter.tenant))
  if (filter.accountId) where.push(eq(syncJobs.integratedAccountId, filter.accountId))
  if (filter.afterId) where.push(gt(syncJobs.id, filter.afterId))
  return withAccount(services)
    .where(where.length ? and(...where) : undefined)
    .orderBy(asc(syncJobs.id))
    .limit(filter.limit)
}

/**
 * Two jobs writing the same account's copy of a resource would mark each other's records
 * deleted: one job per (account, resource).
 */
export async function assertNoOverlap(
  services: GatewayServices,
  accountId: string,
  resources: JobResource[],
  exceptJobId?: string,
): Promise<void> {
  const others = await services.db
    .select()
    .from(syncJobs)
    .where(and(eq(syncJobs.integratedAccountId, accountId), exceptJobId ? ne(syncJobs.id, exceptJobId) : undefined))
  const wanted = new Set(resources.map((r) => r.resource))
  for (const other of others) {
    const clash = jobResources(other).find((r) => wanted.has(r.resource))
    if (clash) {
      throw new ApiError(
        422,
        'sync_job_conflict',
        `Sync job ${other.id} already syncs ${clash.resource} for integrated account ${accountId}; change that job (PATCH /sync-job/${other.id}) instead`,
      )
    }
  }
}

export async function insertJob(
  services: GatewayServices,
  input: { accountId: string; resources: JobResource[]; schedule: string | null; isActive: boolean; definitionId?: string },
): Promise<SyncJobRow> {
  const now = new Date()
  const row: SyncJobRow = {
    id: crypto.randomUUID(),
    integratedAccountId: input.accountId,
    resources: JSON.stringify(input.resources),
    schedule: input.schedule,
    isActive: input.isActive,
    nextRunAt: nextRunOf(input.schedule, input.isActive, now),
    state: '{}',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    definitionId: input.definitionId ?? null,
  }
  await services.db.insert(syncJobs).values(row)
  return row
}

export async function updateJob(
  services: GatewayServices,
  job: SyncJobRow,
  patch: { resources?: JobResource[]; schedule?: string | null; isActive?: boolean },
): Promise<SyncJobRow> {
  const now = new Date()
  const next: SyncJobRow = { ...job, updatedAt: now.toISOString() }
  if (patch.resources) next.resources = JSON.stringify(patch.resources)
  if (patch.schedule !== undefined) next.schedule = patch.schedule
  if (patch.isActive !== undefined) next.isActive = patch.isActive
  // A new schedule, or a job switched back on, counts from now: no burst of "missed" runs.
  if (patch.schedule !== undefined || patch.isActive !== undefined) next.nextRunAt = nextRunOf(next.schedule, next.isActive, now)
  await services.db.update(syncJobs).set(next).where(eq(syncJobs.id, job.id))
  return next
}

export async function deleteJob(services: GatewayServices, id: string): Promise<void> {
  await services.db.delete(syncJobs).where(eq(syncJobs.id, id))
}
