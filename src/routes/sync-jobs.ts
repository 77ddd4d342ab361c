/** Sync jobs: create, list, get, update, delete, and run now. */
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { accountOr404, type TenantScope } from '../accounts/tenant-scope'
import { ApiError, badRequest } from '../lib/http-errors'
import { createJobBody, definitionViewSchema, jobViewSchema, patchJobBody, runViewSchema } from '../sync/api-schemas'
import {
  deleteDefinition,
  definitionOr404,
  definitionView,
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
import { cancelRun, triggerRun } from '../sync/trigger'
import { runView, unfinishedRunOf } from '../sync/run-store'
import { assertSchedule } from '../sync/schedule'
import { tenantScope } from './access-policy'
import type { GatewayServices } from '../services'
import { createRouter, type AppEnv } from './create-app'
import { errorResponses } from './errors'
import {
  conflict,
  getByIdRoute,
  permanentConflict,
  idParam,
  jsonBody,
  jsonResponse,
  keysetPage,
  pageEnvelope,
  pageQuery,
  validated,
} from './openapi-helpers'

const tag = 'Sync jobs'
/** A job of one account, or a Truto-style job of an integration (run per account). */
const anyJobSchema = jobViewSchema.or(definitionViewSchema)
const listQuery = z.object({ integrated_account_id: z.string().max(200).optional(), ...pageQuery })

/** The answers of a route that starts a run: a new one, or the one still in progress. */
export const runStarted = {
  201: jsonResponse(runViewSchema, 'A new run.'),
  200: jsonResponse(runViewSchema, 'The run already in progress.'),
}

/** Triggers a run of `target`, keeps the request alive while it works, and answers 201 or 200. */
export async function startRun(c: Context<AppEnv>, target: JobWithAccount): Promise<Response> {
  const triggered = await triggerRun(c.var.services, target, 'manual')
  keepAlive(c, triggered.done)
  return c.json(runView(triggered.run), triggered.created ? 201 : 200)
}

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

/** Workers end a request's work with its response unless told to wait; Node has no such context. */
export function keepAlive(c: Context<AppEnv>, work: Promise<unknown>): void {
  try {
    c.executionCtx.waitUntil(work)
  } catch {
    /* Node: the process keeps running; syncHost tracks the work for shutdown. */
  }
}

export function syncJobRoutes() {
  const router = createRouter()

  router.openapi(
    createRoute({
      method: 'post',
      path: '/sync-job',
      operationId: 'createSyncJob',
      tags: [tag],
      summary: 'Create a sync job',
      description:
        'With integrated_account_id: a job of that account. With integration_name instead: a Truto-style job, started per account by POST /sync-job-run.',
      request: jsonBody(createJobBody),
      responses: {
        201: jsonResponse(anyJobSchema, 'Created.'),
        ...errorResponses,
        ...permanentConflict('Another job already syncs one of these resources for the account.'),
      },
    }),
    (async (c: Context<AppEnv>) => {
      const services = c.var.services
      const body = validated<z.infer<typeof createJobBody>>(c, 'json')
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
          definitionView(
            await insertDefinition(services, { integrationName: body.integration_name, label: body.label ?? null, resources }),
          ),
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
    }) as never,
  )

  router.openapi(
    createRoute({
      method: 'get',
      path: '/sync-job',
      operationId: 'listSyncJobs',
      tags: [tag],
      summary: 'List sync jobs',
      description: 'Both kinds by id; Truto-style jobs only without integrated_account_id (they belong to no account).',
      request: { query: listQuery },
      responses: { 200: jsonResponse(pageEnvelope(anyJobSchema), 'A page of jobs.'), ...errorResponses },
    }),
    (async (c: Context<AppEnv>) => {
      const services = c.var.services
      const q = validated<z.infer<typeof listQuery>>(c, 'query')
      const limit = q.limit ?? 100
      const { page, next } = await keysetPage(
        services,
        { list: 'sync-job', cursor: q.next_cursor, limit, keys: ['after'] },
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
    }) as never,
  )

  getByIdRoute(
    router,
    { path: '/sync-job/{id}', operationId: 'getSyncJob', tag, summary: 'Get a sync job', schema: anyJobSchema, description: 'The job.' },
    async (services, id, tenant) => {
      const found = await jobOrDefinition(services, id, tenant)
      return 'job' in found ? jobView(found.job) : definitionView(found.definition)
    },
  )

  router.openapi(
    createRoute({
      method: 'patch',
      path: '/sync-job/{id}',
      operationId: 'updateSyncJob',
      tags: [tag],
      summary: 'Update a sync job',
      request: { params: idParam, ...jsonBody(patchJobBody) },
      responses: {
        200: jsonResponse(anyJobSchema, 'The updated job.'),
        ...errorResponses,
        ...conflict('A run is unfinished (retry once it ends).'),
        ...permanentConflict('Another job syncs the resource.'),
      },
    }),
    (async (c: Context<AppEnv>) => {
      const services = c.var.services
      const id = c.req.param('id') ?? ''
      const target = await jobOrDefinition(services, id, tenantScope(c))
      const body = validated<z.infer<typeof patchJobBody>>(c, 'json')
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
    }) as never,
  )

  router.openapi(
    createRoute({
      method: 'delete',
      path: '/sync-job/{id}',
      operationId: 'deleteSyncJob',
      tags: [tag],
      summary: 'Delete a sync job (its runs too; the synced records stay readable)',
      request: { params: idParam },
      responses: { 200: jsonResponse(z.object({ id: z.string() }), 'Deleted.'), ...errorResponses },
    }),
    (async (c: Context<AppEnv>) => {
      const services = c.var.services
      const id = c.req.param('id') ?? ''
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
    }) as never,
  )

  router.openapi(
    createRoute({
      method: 'post',
      path: '/sync-job/{id}/run',
      operationId: 'runSyncJob',
      tags: [tag],
      summary: 'Run the job now',
      description:
        'Starts a run and returns it (201). While the job has an unfinished run, returns that run instead (200): one run at a time per job.',
      request: { params: idParam },
      responses: { ...runStarted, ...errorResponses, ...permanentConflict('The account needs re-authentication: the job is paused.') },
    }),
    (async (c: Context<AppEnv>) => startRun(c, await jobOr404(c.var.services, c.req.param('id') ?? '', tenantScope(c)))) as never,
  )
  return router
}
