/**
 * Truto-style sync jobs (Truto's SDK: syncJob.create, syncJobRun.create): a definition names an
 * integration and resources; POST /sync-job-run starts it for one account, through that
 * account's own sync job (made on first use, kept in step with the definition's resources), so
 * runs, leases, checkpoints and deletions work exactly as for jobs created per account.
 */
import { and, asc, eq, gt } from 'drizzle-orm'
import { syncJobDefinitions, syncJobs, type IntegratedAccountRow } from '../db/schema'
import { ApiError, badRequest } from '../lib/http-errors'
import type { GatewayServices } from '../services'
import type { DefinitionView, JobResource } from './api-schemas'
import { assertNoOverlap, deleteJob, findJob, insertJob, jobResources, updateJob, type JobWithAccount } from './job-store'
import { validateJobResources } from './job-validation'
import { unfinishedRunOf } from './run-store'
import { cancelRun } from './trigger'

export type DefinitionRow = typeof syncJobDefinitions.$inferSelect

export function definitionView(row: DefinitionRow): DefinitionView {
  return {
    id: row.id,
    integration_name: row.integrationName,
    label: row.label,
    resources: JSON.parse(row.resources) as JobResource[],
    environment_id: 'default',
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  }
}

/** Resources checked against the integration's connector, as a job's are against its account's. */
export function validateDefinitionResources(services: GatewayServices, integrationName: string, resources: JobResource[]): JobResource[] {
  if (!services.connectors.get(integrationName)) {
    throw badRequest(
      'unknown_integration',
      `integration_name "${integrationName}" is not available. Available: ${services.connectors.ids().join(', ')}`,
    )
  }
  return validateJobResources(services, { id: '', integration: integrationName }, resources)
}

export async function insertDefinition(
  services: GatewayServices,
  input: { integrationName: string; label: string | null; resources: JobResource[] },
): Promise<DefinitionRow> {
  const now = new Date().toISOString()
  const row: DefinitionRow = {
    id: crypto.randomUUID(),
    integrationName: input.integrationName,
    label: input.label,
    resources: JSON.stringify(input.resources),
    createdAt: now,
    updatedAt: now,
  }
  await services.db.insert(syncJobDefinitions).values(row)
  return row
}

async function findDefinition(services: GatewayServices, id: string): Promise<DefinitionRow | undefined> {
  return (await services.db.select().from(syncJobDefinitions).where(eq(syncJobDefinitions.id, id)).limit(1))[0]
}

export async function definitionOr404(services: GatewayServices, id: string): Promise<DefinitionRow> {
  const row = await findDefinition(services, id)
  if (!row) throw new ApiError(404, 'sync_job_not_found', `No sync job with id ${id}`)
  return row
}

export async function listDefinitions(services: GatewayServices, filter: { afterId?: string; limit: number }): Promise<DefinitionRow[]> {
  return services.db
    .select()
    .from(syncJobDefinitions)
    .where(filter.afterId ? gt(syncJobDefinitions.id, filter.afterId) : undefined)
    .orderBy(asc(syncJobDefinitions.id))
    .limit(filter.limit)
}

export async function updateDefinition(
  services: GatewayServices,
  row: DefinitionRow,
  patch: { label?: string; resources?: JobResource[] },
): Promise<DefinitionRow> {
  const next: DefinitionRow = { ...row, updatedAt: new Date().toISOString() }
  if (patch.label !== undefined) next.label = patch.label
  if (patch.resources) next.resources = JSON.stringify(validateDefinitionResources(services, row.integrationName, patch.resources))
  await services.db.update(syncJobDefinitions).set(next).where(eq(syncJobDefinitions.id, row.id))
  return next
}

/** The definition and every account job made from it (their unfinished runs cancelled first). */
export async function deleteDefinition(services: GatewayServices, row: DefinitionRow): Promise<void> {
  const jobs = await services.db.select().from(syncJobs).where(eq(syncJobs.definitionId, row.id))
  for (const job of jobs) {
    const running = await unfinishedRunOf(services, job.id)
    if (running) await cancelRun(services, running)
    await deleteJob(services, job.id)
  }
  await services.db.delete(syncJobDefinitions).where(eq(syncJobDefinitions.id, row.id))
}

/**
 * The account's job for this definition: made on first use; on later runs given the
 * definition's current resources unless a run is still going (that run is what the caller gets).
 */
export async function accountJobOf(
  services: GatewayServices,
  definition: DefinitionRow,
  account: IntegratedAccountRow,
): Promise<JobWithAccount> {
  if (definition.integrationName !== account.integration) {
    throw badRequest(
      'invalid_request',
      `Sync job ${definition.id} is defined for integration ${definition.integrationName}; integrated account ${account.id} uses ${account.integration}`,
    )
  }
  const resources = validateJobResources(services, account, JSON.parse(definition.resources) as JobResource[])
  const existing = (
    await services.db
      .select({ id: syncJobs.id })
      .from(syncJobs)
      .where(and(eq(syncJobs.definitionId, definition.id), eq(syncJobs.integratedAccountId, account.id)))
      .limit(1)
  )[0]
  if (!existing) {
    await assertNoOverlap(services, account.id, resources)
    const job = await insertJob(services, { accountId: account.id, resources, schedule: null, isActive: true, definitionId: definition.id })
    return { job, accountStatus: account.status, accountTenantId: account.tenantId }
  }
  const found = await findJob(services, existing.id)
  if (!found) throw new ApiError(404, 'sync_job_not_found', `Sync job ${existing.id} was deleted meanwhile; try again`)
  if (JSON.stringify(jobResources(found.job)) === JSON.stringify(resources) || (await unfinishedRunOf(services, found.job.id))) return found
  await assertNoOverlap(services, account.id, resources, found.job.id)
  return { ...found, job: await updateJob(services, found.job, { resources }) }
}
