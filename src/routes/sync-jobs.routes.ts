/** The sync job routes' OpenAPI definitions: create, list, get, update, delete, run now. */
import { createRoute, z } from '@hono/zod-openapi'
import { createJobBody, definitionViewSchema, jobViewSchema, patchJobBody, runViewSchema } from '../sync/api-schemas'
import { errorResponses } from './errors'
import {
  conflict,
  deletedSchema,
  getOneRoute,
  idParam,
  jsonBody,
  jsonResponse,
  pageEnvelope,
  pageQuery,
  permanentConflict,
} from './openapi-helpers'

const tag = 'Sync jobs'
/** A job of one account, or a Truto-style job of an integration (run per account). */
const anyJobSchema = jobViewSchema.or(definitionViewSchema)

/** The answers of a route that starts a run: a new one, or the one still in progress. */
export const runStarted = {
  201: jsonResponse(runViewSchema, 'A new run.'),
  200: jsonResponse(runViewSchema, 'The run already in progress.'),
}

export const create = createRoute({
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
})

export const list = createRoute({
  method: 'get',
  path: '/sync-job',
  operationId: 'listSyncJobs',
  tags: [tag],
  summary: 'List sync jobs',
  description: 'Both kinds by id; Truto-style jobs only without integrated_account_id (they belong to no account).',
  request: { query: z.object({ integrated_account_id: z.string().max(200).optional(), ...pageQuery }) },
  responses: { 200: jsonResponse(pageEnvelope(anyJobSchema), 'A page of jobs.'), ...errorResponses },
})

export const getOne = getOneRoute({
  path: '/sync-job/{id}',
  operationId: 'getSyncJob',
  tag,
  summary: 'Get a sync job',
  schema: anyJobSchema,
  description: 'The job.',
})

export const patch = createRoute({
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
})

export const remove = createRoute({
  method: 'delete',
  path: '/sync-job/{id}',
  operationId: 'deleteSyncJob',
  tags: [tag],
  summary: 'Delete a sync job (its runs too; the synced records stay readable)',
  request: { params: idParam },
  responses: { 200: jsonResponse(deletedSchema, 'Deleted.'), ...errorResponses },
})

export const run = createRoute({
  method: 'post',
  path: '/sync-job/{id}/run',
  operationId: 'runSyncJob',
  tags: [tag],
  summary: 'Run the job now',
  description:
    'Starts a run and returns it (201). While the job has an unfinished run, returns that run instead (200): one run at a time per job.',
  request: { params: idParam },
  responses: { ...runStarted, ...errorResponses, ...permanentConflict('The account needs re-authentication: the job is paused.') },
})
