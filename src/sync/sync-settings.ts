/**
 * Settings of sync jobs and webhook deliveries, read from the same environment as the main
 * settings (src/config/settings.ts) and validated the same way. Kept beside the code they tune.
 */
import { z } from 'zod'
import { envBool as bool, envInt as int, readEnvSettings } from '../config/settings'

const syncSettingsSchema = z.object({
  /** A run whose lease is not renewed for this long is considered abandoned and taken over. */
  UNIMETER_SYNC_LEASE_MS: int(60_000, 1_000),
  /**
   * Workers: what one sync queue invocation does of a run before continuing it in the next
   * (src/sync/run-budget.ts); sized under the 1,000 subrequests and 30 s of CPU time an
   * invocation has by default. Node runs go to their end and ignore both.
   */
  UNIMETER_SYNC_INVOCATION_BUDGET_PAGES: int(50, 1),
  UNIMETER_SYNC_INVOCATION_BUDGET_MS: int(300_000, 1),
  /** Node: run the in-process scheduler (cron schedules, resumes, webhook retries). */
  UNIMETER_SYNC_SCHEDULER: bool.default(true),
  /** Delivery attempts per webhook event before it is marked failed. */
  UNIMETER_WEBHOOK_MAX_ATTEMPTS: int(8, 1),
  /** Wait before the first retry; doubled for each further one, up to the max. */
  UNIMETER_WEBHOOK_RETRY_BASE_MS: int(10_000, 1),
  UNIMETER_WEBHOOK_RETRY_MAX_MS: int(3_600_000, 1),
  /** Time allowed for the receiver to answer one delivery. */
  UNIMETER_WEBHOOK_TIMEOUT_MS: int(10_000, 100),
  /** Deliveries sent at the same time by one process. */
  UNIMETER_WEBHOOK_CONCURRENCY: int(8, 1),
  /**
   * Workers with a delivery queue: a pending delivery overdue by this long has lost its queue
   * message, and the Cron Trigger's sweep sends it instead.
   */
  UNIMETER_WEBHOOK_QUEUE_LOST_AFTER_MS: int(600_000, 1_000),
})

export type SyncSettings = z.infer<typeof syncSettingsSchema>

export function loadSyncSettings(env: Record<string, string | undefined>): SyncSettings {
  return readEnvSettings(syncSettingsSchema, env)
}
