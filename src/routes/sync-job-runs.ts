/** Runs of sync jobs: list, get, cancel. */
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { badRequest } from '../lib/http-errors'
import { createRunBody, RUN_STATUSES, runViewSchema } from '../sync/api-schemas'
import { accountJobOf, definitionOr404 } from '../sync/job-definitions'
import { findJob } from '../sync/job-store'
import { accountOr404 } from '../accounts/tenant-scope'
import { listRuns, runOr404, runView } from '../sync/run-store'
import { cancelRun } from '../sync/trigger'
import { tenantScope } from './access-policy'
import { startRun } from './run-start'
import { runStarted } from './sync-jobs.routes'
import { createRouter, type AppEnv } from './create-app'
import { errorResponses } from './errors'
import {
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
const listQuery = z.object({
  sync_job_id: z.string().max(200).optional(),
  integrated_account_id: z.string().max(200).optional(),
  status: z.enum(RUN_STATUSES).optional(),
  ...pageQuery,
})

export function syncJobRunRoutes() {
  const router = createRouter()

  router.openapi(
    createRoute({
      method: 'get',
      path: '/sync-job-run',
      operationId: 'listSyncJobRuns',
      tags: [tag],
      summary: 'List runs, newest first',
      request: { query: listQuery },
      responses: { 200: jsonResponse(pageEnvelope(runViewSchema), 'A page of runs.'), ...errorResponses },
    }),
    (async (c: Context<AppEnv>) => {
      const services = c.var.services
      const q = validated<z.infer<typeof listQuery>>(c, 'query')
      const limit = q.limit ?? 100
      const { page, next } = await keysetPage(
        services,
        { list: 'sync-job-run', cursor: q.next_cursor, limit, keys: ['c', 'i'] },
        (after, take) =>
          listRuns(services, {
            jobId: q.sync_job_id,
            accountId: q.integrated_account_id,
            tenant: tenantScope(c),
            status: q.status,
            before: after && { createdAt: after.c, id: after.i },
            limit: take,
          }),
        (row) => ({ c: row.createdAt, i: row.id }),
      )
      return c.json({ result: page.map(runView), next_cursor: next, limit }, 200)
    }) as never,
  )

  router.openapi(
    createRoute({
      method: 'post',
      path: '/sync-job-run',
      operationId: 'createSyncJobRun',
      tags: [tag],
      summary: 'Start a run (Truto shape)',
      description:
        "Truto's syncJobRun.create: runs sync_job_id for integrated_account_id. A Truto-style job (made with integration_name) runs through the account's own job, made on first use. Returns the new run (201), or the run still in progress (200).",
      request: jsonBody(createRunBody),
      responses: {
        ...runStarted,
        ...errorResponses,
        ...permanentConflict('The account needs re-authentication, or another job already syncs one of these resources for the account.'),
      },
    }),
    (async (c: Context<AppEnv>) => {
      const services = c.var.services
      const body = validated<z.infer<typeof createRunBody>>(c, 'json')
      const account = await accountOr404(services, body.integrated_account_id, tenantScope(c))
      const target = await findJob(services, body.sync_job_id)
      // Names neither the job's account nor its tenant: a tenant-bound token learns nothing of others'.
      if (target && target.job.integratedAccountId !== account.id) {
        throw badRequest('invalid_request', `Sync job ${body.sync_job_id} does not sync integrated account ${account.id}`)
      }
      return startRun(c, target ?? (await accountJobOf(services, await definitionOr404(services, body.sync_job_id), account)))
    }) as never,
  )

  getByIdRoute(
    router,
    { path: '/sync-job-run/{id}', operationId: 'getSyncJobRun', tag, summary: 'Get a run', schema: runViewSchema, description: 'The run.' },
    async (services, id, tenant) => runView(await runOr404(services, id, tenant)),
  )

  router.openapi(
    createRoute({
      method: 'post',
      path: '/sync-job-run/{id}/cancel',
      operationId: 'cancelSyncJobRun',
      tags: [tag],
      summary: 'Cancel a run',
      description:
        'A run executing in this process stops at once; one executing in another process stops before its next page (cancel_requested shows it is asked).',
      request: { params: idParam },
      responses: { 200: jsonResponse(runViewSchema, 'The run.'), ...errorResponses, ...permanentConflict('The run already ended.') },
    }),
    (async (c: Context<AppEnv>) => {
      const services = c.var.services
      const run = await runOr404(services, c.req.param('id') ?? '', tenantScope(c))
      return c.json(runView(await cancelRun(services, run)), 200)
    }) as never,
  )
  return router
}
