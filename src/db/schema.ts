/**
 * The database schema, shared by SQLite on Node and D1 on Workers. Migrations in
 * src/db/migrations are generated from this file with `npm run db:generate`.
 */
import { sql } from 'drizzle-orm'
import { sqliteTable, text, integer, index, uniqueIndex, primaryKey, check } from 'drizzle-orm/sqlite-core'

export const integratedAccounts = sqliteTable(
  'integrated_accounts',
  {
    id: text('id').primaryKey(),
    integration: text('integration').notNull(),
    tenantId: text('tenant_id'),
    /** `production` for accounts created through the API, `sandbox` for the built-in ones. */
    environment: text('environment').notNull().default('production'),
    /** active | needs_reauth */
    status: text('status').notNull().default('active'),
    /** Non-secret context (instance settings such as Neon's org_id), JSON. */
    context: text('context').notNull().default('{}'),
    /** The secret credential fields of the context, AES-256-GCM sealed (see src/crypto). */
    secretCiphertext: text('secret_ciphertext').notNull(),
    secretIv: text('secret_iv').notNull(),
    secretTag: text('secret_tag').notNull(),
    keyVersion: integer('key_version').notNull(),
    lastError: text('last_error'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('integrated_accounts_integration_idx').on(t.integration), index('integrated_accounts_tenant_idx').on(t.tenantId)],
)

export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** SHA-256 of the token; the token itself is shown once and never stored. */
    tokenHash: text('token_hash').notNull(),
    /** First characters of the token, to tell tokens apart in listings. */
    prefix: text('prefix').notNull(),
    createdAt: text('created_at').notNull(),
    lastUsedAt: text('last_used_at'),
    revokedAt: text('revoked_at'),
    /** admin | write | read (src/accounts/token-roles.ts). Tokens from before roles existed are admin. */
    role: text('role').notNull().default('admin'),
    /** The one tenant a token is bound to; null for every tenant. */
    tenantId: text('tenant_id'),
  },
  (t) => [uniqueIndex('api_tokens_hash_idx').on(t.tokenHash)],
)

/**
 * Link tokens (src/connect): a short-lived, single-tenant pass to the /connect page, handed by an
 * app's backend to its end user's browser. Only the SHA-256 is stored, like API tokens.
 */
export const linkTokens = sqliteTable(
  'link_tokens',
  {
    id: text('id').primaryKey(),
    tokenHash: text('token_hash').notNull(),
    tenantId: text('tenant_id').notNull(),
    /** JSON array of connector ids the end user may pick from; null: every connector. */
    integrations: text('integrations'),
    redirectUri: text('redirect_uri'),
    /** Re-authentication: the existing account whose credentials this token may replace. */
    integratedAccountId: text('integrated_account_id'),
    /** The API token that created it (`bootstrap` for UNIMETER_ADMIN_TOKEN). */
    createdBy: text('created_by').notNull(),
    /** Epoch ms. */
    expiresAt: integer('expires_at').notNull(),
    /** Credential submissions that failed verification; the token is refused after a few. */
    failedAttempts: integer('failed_attempts').notNull().default(0),
    /** Epoch ms while a submission holds the token (so two cannot both succeed), or when it was used. */
    claimedAt: integer('claimed_at'),
    usedAt: text('used_at'),
    /** The account connected or re-authenticated with it. */
    resultAccountId: text('result_account_id'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [uniqueIndex('link_tokens_hash_idx').on(t.tokenHash), index('link_tokens_expires_idx').on(t.expiresAt)],
)

export type IntegratedAccountRow = typeof integratedAccounts.$inferSelect
export type ApiTokenRow = typeof apiTokens.$inferSelect
export type LinkTokenRow = typeof linkTokens.$inferSelect

// ---- Sync jobs (src/sync) ------------------------------------------------------------------

export const syncJobs = sqliteTable(
  'sync_jobs',
  {
    id: text('id').primaryKey(),
    integratedAccountId: text('integrated_account_id')
      .notNull()
      .references(() => integratedAccounts.id, { onDelete: 'cascade' }),
    /** JSON `[{resource, method, query}]`. */
    resources: text('resources').notNull(),
    /** Cron expression (croner syntax), or null for manual runs only. */
    schedule: text('schedule'),
    isActive: integer('is_active', { mode: 'boolean' }).notNull().default(true),
    /** Epoch ms of the next scheduled run; null without a schedule. */
    nextRunAt: integer('next_run_at'),
    /** Bookkeeping between runs, JSON per resource (e.g. an empty run held back from deleting). */
    state: text('state').notNull().default('{}'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    /** The Truto-style definition this job was made from by POST /sync-job-run; null for ours. */
    definitionId: text('definition_id'),
  },
  (t) => [index('sync_jobs_account_idx').on(t.integratedAccountId), index('sync_jobs_next_run_idx').on(t.nextRunAt)],
)

/**
 * Truto-style sync jobs: defined per integration (`POST /sync-job {integration_name, resources}`)
 * and started per account (`POST /sync-job-run {sync_job_id, integrated_account_id}`), which
 * makes (or reuses) the account's own sync_jobs row pointing back here.
 */
export const syncJobDefinitions = sqliteTable('sync_job_definitions', {
  id: text('id').primaryKey(),
  integrationName: text('integration_name').notNull(),
  label: text('label'),
  /** JSON `[{resource, method, query}]`, as on sync_jobs. */
  resources: text('resources').notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
})

export const syncJobRuns = sqliteTable(
  'sync_job_runs',
  {
    id: text('id').primaryKey(),
    syncJobId: text('sync_job_id')
      .notNull()
      .references(() => syncJobs.id, { onDelete: 'cascade' }),
    integratedAccountId: text('integrated_account_id').notNull(),
    /** created | running | succeeded | failed | cancelled */
    status: text('status').notNull(),
    /** manual | schedule */
    trigger: text('trigger').notNull(),
    startedAt: text('started_at'),
    finishedAt: text('finished_at'),
    pagesFetched: integer('pages_fetched').notNull().default(0),
    added: integer('added').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    deleted: integer('deleted').notNull().default(0),
    unchanged: integer('unchanged').notNull().default(0),
    /** The walk did not cover everything (vendor looped or stranded pages): nothing was marked deleted. */
    isPartial: integer('is_partial', { mode: 'boolean' }).notNull().default(false),
    /** A zero-record result for an account that had records: deletions wait for a second run. */
    deletionsHeld: integer('deletions_held', { mode: 'boolean' }).notNull().default(false),
    /** JSON `{code, message, status_code}` of a failed run. */
    error: text('error'),
    /** JSON: where to resume (resource index, page position, records seen per resource). */
    checkpoint: text('checkpoint'),
    leaseOwner: text('lease_owner'),
    /** Epoch ms; a lease not renewed by then may be taken over. */
    leaseExpiresAt: integer('lease_expires_at'),
    cancelRequested: integer('cancel_requested', { mode: 'boolean' }).notNull().default(false),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    index('sync_job_runs_job_idx').on(t.syncJobId, t.createdAt),
    index('sync_job_runs_status_idx').on(t.status, t.leaseExpiresAt),
    // One unfinished run per job: a second trigger finds the first instead of starting another.
    uniqueIndex('sync_job_runs_one_active_idx')
      .on(t.syncJobId)
      .where(sql`status in ('created', 'running')`),
  ],
)

/** The local copy of synced records, one row per (account, resource, vendor record id). */
export const syncRecords = sqliteTable(
  'sync_records',
  {
    integratedAccountId: text('integrated_account_id')
      .notNull()
      .references(() => integratedAccounts.id, { onDelete: 'cascade' }),
    /** e.g. `usage-metering/users` */
    resource: text('resource').notNull(),
    recordId: text('record_id').notNull(),
    /** The unified record without remote_data, JSON. */
    unified: text('unified').notNull(),
    remoteData: text('remote_data'),
    /** SHA-256 of unified + remote_data (src/sync/record-codec.ts contentHash): a different hash is a change. */
    contentHash: text('content_hash').notNull(),
    /** Normalized values super-query filters and sorts on, JSON. */
    facets: text('facets').notNull(),
    firstSeenAt: text('first_seen_at').notNull(),
    lastSeenAt: text('last_seen_at').notNull(),
    /** When the content last changed (first_seen_at for a record never changed). */
    changedAt: text('changed_at').notNull(),
    deletedAt: text('deleted_at'),
    lastSeenRunId: text('last_seen_run_id').notNull(),
    syncJobId: text('sync_job_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.integratedAccountId, t.resource, t.recordId] }),
    index('sync_records_live_idx').on(t.integratedAccountId, t.resource, t.deletedAt),
  ],
)

/**
 * The records a running run listed unchanged, one row per page (a JSON array of their keys)
 * instead of a write to each record's ~1.5 KB row: on better-sqlite3 that rewrite was most of an
 * unchanged re-sync's writes (src/sync/prepared-record-writes.ts). A record the run wrote, or
 * whose `last_seen_run_id` names the run, is seen without a row here. Read by the end of the
 * run's deletion scan (src/sync/deletions.ts) and removed when the run ends, however it ends.
 */
export const syncRunSeen = sqliteTable(
  'sync_run_seen',
  {
    id: integer('id').primaryKey(),
    runId: text('run_id')
      .notNull()
      .references(() => syncJobRuns.id, { onDelete: 'cascade' }),
    /** e.g. `usage-metering/users` */
    resource: text('resource').notNull(),
    /** The page's keys (`record_id`), JSON array. */
    recordIds: text('record_ids').notNull(),
    /** How many keys `record_ids` holds. */
    recordCount: integer('record_count').notNull(),
  },
  (t) => [index('sync_run_seen_run_idx').on(t.runId, t.resource)],
)

/** Events written in the same transaction as the change they describe, emitted after commit. */
export const syncEventOutbox = sqliteTable('sync_event_outbox', {
  id: text('id').primaryKey(),
  event: text('event').notNull(),
  payload: text('payload').notNull(),
  createdAt: text('created_at').notNull(),
})

/**
 * Never holds a row. A write that must only happen while a run still owns its lease starts by
 * inserting into this table when the lease is lost; the CHECK fails and the whole transaction
 * (or D1 batch) rolls back, so a runner whose lease was taken over cannot write.
 */
export const syncLeaseFence = sqliteTable('sync_lease_fence', { lost: integer('lost').notNull() }, (t) => [
  check('sync_lease_fence_never', sql`${t.lost} = 0`),
])

// ---- Webhooks (src/webhooks) ---------------------------------------------------------------

export const webhooks = sqliteTable('webhooks', {
  id: text('id').primaryKey(),
  targetUrl: text('target_url').notNull(),
  /** JSON array of event names (or `*`). */
  eventTypes: text('event_types').notNull(),
  isActive: integer('is_active', { mode: 'boolean' }).notNull().default(true),
  /** The signing secret, AES-256-GCM sealed like account credentials; shown once on create. */
  secretCiphertext: text('secret_ciphertext').notNull(),
  secretIv: text('secret_iv').notNull(),
  secretTag: text('secret_tag').notNull(),
  keyVersion: integer('key_version').notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
})

export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    webhookId: text('webhook_id')
      .notNull()
      .references(() => webhooks.id, { onDelete: 'cascade' }),
    eventId: text('event_id').notNull(),
    event: text('event').notNull(),
    /** The exact bytes signed and sent. */
    body: text('body').notNull(),
    /** pending | delivered | failed */
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    /** Epoch ms. */
    nextAttemptAt: integer('next_attempt_at').notNull(),
    /** Epoch ms until which one worker holds this delivery. */
    claimedUntil: integer('claimed_until'),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    createdAt: text('created_at').notNull(),
    deliveredAt: text('delivered_at'),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    // An event dispatched twice (after a crash) is still delivered once per webhook.
    uniqueIndex('webhook_deliveries_event_idx').on(t.webhookId, t.eventId),
    index('webhook_deliveries_due_idx').on(t.status, t.nextAttemptAt),
    index('webhook_deliveries_webhook_idx').on(t.webhookId, t.createdAt),
  ],
)

export type SyncJobRow = typeof syncJobs.$inferSelect
export type SyncJobRunRow = typeof syncJobRuns.$inferSelect
export type WebhookRow = typeof webhooks.$inferSelect
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect
