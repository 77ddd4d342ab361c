/** Sync run handlers: a tenant-bound token sees only its own accounts' runs. */
import type { RouteHandler } from '@hono/zod-openapi'
import { accountOr404 } from '../accounts/tenant-scope'
import { badRequest } from '../lib/http-errors'
import { accountJobOf, definitionOr404 } from '../sync/job-definitions'
import { findJob } from '../sync/job-store'
import { listRuns, runOr404, runView } from '../sync/run-store'
import { cancelRun } from '../sync/trigger'
import { tenantScope } from './access-policy'
import type { AppEnv } from './create-app'
import { keysetPage } from './openapi-helpers'
import { startRun } from './run-start'
import type * as routes from './sync-job-runs.routes'

export const list: RouteHandler<typeof routes.list, AppEnv> = async (c) => {
  const services = c.var.services
  const q = c.req.valid('query')
  const { page, next, limit } = await keysetPage(
    services,
    { list: 'sync-job-run', query: q, keys: ['c', 'i'] },
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
}

export const create: RouteHandler<typeof routes.create, AppEnv> = async (c) => {
  const services = c.var.services
  const body = c.req.valid('json')
  const account = await accountOr404(services, body.integrated_account_id, tenantScope(c))
  const target = await findJob(services, body.sync_job_id)
  // Names neither the job's account nor its tenant: a tenant-bound token learns nothing of others'.
  if (target && target.job.integratedAccountId !== account.id) {
    throw badRequest('invalid_request', `Sync job ${body.sync_job_id} does not sync integrated account ${account.id}`)
  }
  return startRun(c, target ?? (await accountJobOf(services, await definitionOr404(services, body.sync_job_id), account)))
}

export const getOne: RouteHandler<typeof routes.getOne, AppEnv> = async (c) =>
  c.json(runView(await runOr404(c.var.services, c.req.valid('param').id, tenantScope(c))), 200)

export const cancel: RouteHandler<typeof routes.cancel, AppEnv> = async (c) => {
  const services = c.var.services
  const run = await runOr404(services, c.req.valid('param').id, tenantScope(c))
  return c.json(runView(await cancelRun(services, run)), 200)
}
