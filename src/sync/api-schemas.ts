/**
 * The sync-job API's shapes, in one place: they validate requests, document the OpenAPI and
 * type the views (z.infer), so the three cannot drift apart.
 */
import { z } from '@hono/zod-openapi'
import { DEFAULT_INITIAL_DAYS, MAX_INITIAL_DAYS } from './sync-window'

export const RUN_STATUSES = ['created', 'running', 'succeeded', 'failed', 'cancelled'] as const
export type RunStatus = (typeof RUN_STATUSES)[number]

export const jobResourceSchema = z
  .object({
    resource: z
      .string()
      .regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, 'resource must be "<model>/<resource>", e.g. usage-metering/users')
      .openapi({ example: 'usage-metering/users' }),
    method: z.enum(['list']).default('list').openapi({ description: 'Only list: a sync copies every record.' }),
    query: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({
        description: "The resource's list parameters (e.g. Claude's date), remote_query, and limit (the vendor page size).",
        example: { limit: 100 },
      }),
    window: z
      .object({
        initial_days: z.number().int().min(1).max(MAX_INITIAL_DAYS).openapi({ example: 30 }),
      })
      .optional()
      .openapi({
        description: `Window-mode resources only (usage): the first run syncs the last initial_days days (default ${DEFAULT_INITIAL_DAYS}), each later run from where the last complete run ended minus the resource's lookback. The run sets the window's start_date and end_date itself.`,
      }),
  })
  .openapi('SyncJobResource')

export type JobResource = z.infer<typeof jobResourceSchema>

const scheduleSchema = z.string().min(1).max(200).nullable().openapi({
  description: 'Cron expression, evaluated in UTC (5 fields, or 6 with seconds). null: manual runs only.',
  example: '0 * * * *',
})

export const createJobBody = z.object({
  integrated_account_id: z.string().min(1).max(200).optional().openapi({
    description:
      'The account this job syncs. Without it, integration_name makes a Truto-style job that POST /sync-job-run starts per account.',
  }),
  integration_name: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .openapi({ description: 'Truto-style: the integration the job is defined for (no integrated_account_id).', example: 'claude' }),
  label: z.string().max(200).optional(),
  resources: z.array(jobResourceSchema).min(1, 'resources needs at least one entry').max(20),
  schedule: scheduleSchema.optional(),
  is_active: z.boolean().optional().openapi({ description: 'Inactive jobs are not scheduled (manual runs still work). Default true.' }),
})

export const patchJobBody = z.object({
  resources: z.array(jobResourceSchema).min(1).max(20).optional(),
  label: z.string().max(200).optional().openapi({ description: 'Truto-style jobs only.' }),
  schedule: scheduleSchema.optional(),
  is_active: z.boolean().optional(),
})

export const jobViewSchema = z
  .object({
    id: z.string(),
    integrated_account_id: z.string(),
    resources: z.array(jobResourceSchema),
    schedule: z.string().nullable(),
    is_active: z.boolean(),
    status: z.enum(['active', 'inactive', 'paused']).openapi({
      description: 'paused: the account needs re-authentication (a vendor 401); runs resume once its credentials are updated.',
    }),
    next_run_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('SyncJob')

/** A Truto-style job: defined per integration, run per account (POST /sync-job-run). */
export const definitionViewSchema = z
  .object({
    id: z.string(),
    integration_name: z.string(),
    label: z.string().nullable(),
    resources: z.array(jobResourceSchema),
    environment_id: z.string().openapi({ description: 'Always "default": a gateway is one environment.' }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('SyncJobDefinition')

export const createRunBody = z.object({
  sync_job_id: z.string().min(1).max(200).openapi({ description: 'A sync job of the account, or a Truto-style job of its integration.' }),
  integrated_account_id: z.string().min(1).max(200),
})

export const runErrorSchema = z.object({ code: z.string(), message: z.string(), status_code: z.number().int() })

export const runViewSchema = z
  .object({
    id: z.string(),
    sync_job_id: z.string(),
    integrated_account_id: z.string(),
    status: z.enum(RUN_STATUSES),
    trigger: z.enum(['manual', 'schedule']),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
    pages_fetched: z.number().int(),
    counts: z.object({ added: z.number().int(), updated: z.number().int(), deleted: z.number().int(), unchanged: z.number().int() }),
    is_partial: z.boolean().openapi({ description: 'The vendor did not let every page be read: no record was marked deleted.' }),
    deletions_held: z
      .boolean()
      .openapi({ description: 'Zero records for an account that had some: deletions wait for a second run to confirm.' }),
    cancel_requested: z.boolean(),
    error: runErrorSchema.nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('SyncJobRun')

export type JobView = z.infer<typeof jobViewSchema>
export type DefinitionView = z.infer<typeof definitionViewSchema>
export type RunView = z.infer<typeof runViewSchema>
export type RunError = z.infer<typeof runErrorSchema>
