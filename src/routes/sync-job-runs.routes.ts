/** The sync run routes' OpenAPI definitions: list, start (Truto shape), get, cancel. */
import { createRoute, z } from '@hono/zod-openapi'
import { createRunBody, RUN_STATUSES, runViewSchema } from '../sync/api-schemas'
import { errorResponses } from './errors'
import { getOneRoute, idParam, jsonBody, jsonResponse, pageEnvelope, pageQuery, permanentConflict } from './openapi-helpers'
import { runStarted } from './sync-jobs.routes'

const tag = 'Sync jobs'

export const list = createRoute({
  method: 'get',
  path: '/sync-job-run',
  operationId: 'listSyncJobRuns',
  tags: [tag],
  summary: 'List runs, newest first',
  request: {
    query: z.object({
      sync_job_id: z.string().max(200).optional(),
      integrated_account_id: z.string().max(200).optional(),
      status: z.enum(RUN_STATUSES).optional(),
      ...pageQuery,
    }),
  },
  responses: { 200: jsonResponse(pageEnvelope(runViewSchema), 'A page of runs.'), ...errorResponses },
})

export const create = createRoute({
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
})

export const getOne = getOneRoute({
  path: '/sync-job-run/{id}',
  operationId: 'getSyncJobRun',
  tag,
  summary: 'Get a run',
  schema: runViewSchema,
  description: 'The run.',
})

export const cancel = createRoute({
  method: 'post',
  path: '/sync-job-run/{id}/cancel',
  operationId: 'cancelSyncJobRun',
  tags: [tag],
  summary: 'Cancel a run',
  description:
    'A run executing in this process stops at once; one executing in another process stops before its next page (cancel_requested shows it is asked).',
  request: { params: idParam },
  responses: { 200: jsonResponse(runViewSchema, 'The run.'), ...errorResponses, ...permanentConflict('The run already ended.') },
})
