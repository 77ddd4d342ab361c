/**
 * What Cloudflare hands the Worker: the D1 binding plus `[vars]` and secrets, all in one `env`
 * object. Only the parts unimeter uses are typed here, so the Node type-check needs no Workers
 * type package (whose globals clash with the DOM library).
 */
import type { drizzle } from 'drizzle-orm/d1'
import type { QueueProducer } from '../../lib/message-queue'
import type { SyncQueueMessage } from '../../sync/run-queue'
import type { DeliveryMessage } from '../../webhooks/delivery-queue'

type D1Binding = Parameters<typeof drizzle>[0]

export interface WorkerEnv {
  DB: D1Binding
  /** Webhook delivery queue producers (wrangler.toml `[[queues.producers]]`); optional: without them the cron sends. */
  WEBHOOK_DELIVERIES?: QueueProducer<DeliveryMessage>
  WEBHOOK_DEAD_LETTERS?: QueueProducer<DeliveryMessage>
  /** Sync runs' queue producer (wrangler.toml); optional: without it due runs execute inside the cron. */
  SYNC_QUEUE?: QueueProducer<SyncQueueMessage>
  /** Counts the per-token and per-account rate limits globally (./rate-limit-object.ts). */
  RATE_LIMITER?: DurableObjectNamespaceBinding
  /** Vars and secrets: every UNIMETER_* setting, `UNIMETER_<ID>_BASE_URL` overrides. */
  [name: string]: unknown
}

export interface WorkerExecutionContext {
  waitUntil(promise: Promise<unknown>): void
}

export interface WorkerScheduledController {
  cron: string
  scheduledTime: number
}

/** The string-valued entries of `env` (vars and secrets), as settings read them on Node from process.env. */
export function settingsEnv(env: WorkerEnv): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {}
  for (const [key, value] of Object.entries(env)) if (typeof value === 'string') out[key] = value
  return out
}

/** A Durable Object namespace binding (`[[durable_objects.bindings]]`), as far as unimeter calls it. */
export interface DurableObjectNamespaceBinding {
  idFromName(name: string): unknown
  get(id: unknown): { fetch(url: string, init?: RequestInit): Promise<Response> }
}
