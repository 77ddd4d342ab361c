/**
 * Sync job handlers. A job syncs one account's resources; a Truto-style job (a "definition") is
 * made for a whole integration and runs per account through POST /sync-job-run.
 */
import type { RouteHandler } from '@hono/zod-openapi'
import { accountOr404, type TenantScope } from '../accounts/tenant-scope'
import { ApiError, badRequest } from '../lib/http-errors'
import type { GatewayServices } from '../services'
import {
  definitionOr404,
  definitionView,
  deleteDefinition,
  insertDefinition,
  listDefinitions,
  updateDefinition,
  validateDefinitionResources,
  type DefinitionRow,
} from '../sync/job-definitions'
import {
  assertNoOverlap,
  deleteJob,
  findJob,
  insertJob,
  jobOr404,
  jobView,
  listJobs,
  updateJob,
  type JobWithAccount,
} from '../sync/job-store'
import { validateJobResources } from '../sync/job-validation'
import { unfinishedRunOf } from '../sync/run-store'
import { assertSchedule } from '../sync/schedule'
import { cancelRun } from '../sync/trigger'
import { tenantScope } from './access-policy'
import type { AppEnv } from './create-app'
import { keysetPage } from './openapi-helpers'
import { startRun } from './run-start'
import type * as routes from './sync-jobs.routes'

/**
 * A job of one account, or a Truto-style job of an integration. Those span every tenant's
 * accounts, so for a token bound to a tenant only its own accounts' jobs exist (404 otherwise).
 */
async function jobOrDefinition(
  services: GatewayServices,
  id: string,
  tenant: TenantScope,
): Promise<{ job: JobWithAccount } | { definition: DefinitionRow }> {
  if (tenant !== null || (await findJob(services, id))) return { job: await jobOr404(services, id, tenant) }
  return { definition: await definitionOr404(services, id) }
}

export const create: RouteHandler<typeof routes.create, AppEnv> = async (c) => {
  const services = c.var.services
  const body = c.req.valid('json')
  const tenant = tenantScope(c)
  if (!body.integrated_account_id) {
    if (!body.integration_name)
      throw badRequest(
        'missing_required_body_fields',
        'integrated_account_id is required (or integration_name, for a job that POST /sync-job-run starts per account)',
      )
    // A Truto-style job spans every tenant's accounts of the integration.
    if (tenant !== null)
      throw new ApiError(
        403,
        'forbidden',
        'A token bound to a tenant cannot create a job for a whole integration: give integrated_account_id',
      )
    const resources = validateDefinitionResources(services, body.integration_name, body.resources)
    return c.json(
      definitionView(await insertDefinition(services, { integrationName: body.integration_name, label: body.label ?? null, resources })),
      201,
    )
  }
  const account = await accountOr404(services, body.integrated_account_id, tenant)
  const resources = validateJobResources(services, account, body.resources)
  if (body.schedule) assertSchedule(body.schedule)
  await assertNoOverlap(services, account.id, resources)
  const job = await insertJob(services, {
    accountId: account.id,
    resources,
    schedule: body.schedule ?? null,
    isActive: body.is_active ?? true,
  })
  return c.json(jobView({ job, accountStatus: account.status }), 201)
}

export const list: RouteHandler<typeof routes.list, AppEnv> = async (c) => {
  const services = c.var.services
  const q = c.req.valid('query')
  const { page, next, limit } = await keysetPage(
    services,
    { list: 'sync-job', query: q, keys: ['after'] },
    async (after, take) => {
      const tenant = tenantScope(c)
      const jobs = (await listJobs(services, { accountId: q.integrated_account_id, tenant, afterId: after?.after, limit: take })).map(
        jobView,
      )
      // Truto-style jobs belong to no account (and so to no tenant): only unbound tokens list them.
      if (q.integrated_account_id || tenant !== null) return jobs
      // One keyset over both tables: each read in id order, merged, cut to the page.
      const definitions = (await listDefinitions(services, { afterId: after?.after, limit: take })).map(definitionView)
      return [...jobs, ...definitions].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).slice(0, take)
    },
    (row) => ({ after: row.id }),
  )
  return c.json({ result: page, next_cursor: next, limit }, 200)
}

export const getOne: RouteHandler<typeof routes.getOne, AppEnv> = async (c) => {
  const found = await jobOrDefinition(c.var.services, c.req.valid('param').id, tenantScope(c))
  return c.json('job' in found ? jobView(found.job) : definitionView(found.definition), 200)
}

export const patch: RouteHandler<typeof routes.patch, AppEnv> = async (c) => {
  const services = c.var.services
  const { id } = c.req.valid('param')
  const target = await jobOrDefinition(services, id, tenantScope(c))
  const body = c.req.valid('json')
  if (!('job' in target)) {
    const definition = target.definition
    if (body.schedule !== undefined || body.is_active !== undefined) {
      throw badRequest(
        'invalid_request',
        `Sync job ${id} is Truto-style (run per account with POST /sync-job-run): it has no schedule or is_active; change resources or label`,
      )
    }
    return c.json(definitionView(await updateDefinition(services, definition, body)), 200)
  }
  const found = target.job
  let resources
  if (body.resources) {
    const running = await unfinishedRunOf(services, found.job.id)
    if (running) {
      const how = `wait for it or cancel it (POST /sync-job-run/${running.id}/cancel)`
      throw new ApiError(409, 'sync_job_busy', `Run ${running.id} of this job is unfinished; ${how} before changing resources`)
    }
    const account = await accountOr404(services, found.job.integratedAccountId, tenantScope(c))
    resources = validateJobResources(services, account, body.resources)
    await assertNoOverlap(services, account.id, resources, found.job.id)
  }
  if (body.schedule) assertSchedule(body.schedule)
  const job = await updateJob(services, found.job, { resources, schedule: body.schedule, isActive: body.is_active })
  return c.json(jobView({ job, accountStatus: found.accountStatus }), 200)
}

export const remove: RouteHandler<typeof routes.remove, AppEnv> = async (c) => {
  const services = c.var.services
  const { id } = c.req.valid('param')
  const target = await jobOrDefinition(services, id, tenantScope(c))
  if (!('job' in target)) {
    await deleteDefinition(services, target.definition)
    return c.json({ id }, 200)
  }
  const { job } = target.job
  const running = await unfinishedRunOf(services, job.id)
  if (running) await cancelRun(services, running)
  await deleteJob(services, job.id)
  return c.json({ id: job.id }, 200)
}

export const run: RouteHandler<typeof routes.run, AppEnv> = async (c) =>
  startRun(c, await jobOr404(c.var.services, c.req.valid('param').id, tenantScope(c)))
