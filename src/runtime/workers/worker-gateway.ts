/**
 * Workers: the gateway (services and Hono app) for one isolate, built on the first request from
 * `env` and reused by every later request and cron event that isolate serves.
 */
import { drizzle } from 'drizzle-orm/d1'
import { buildApp } from '../../app'
import { docsAssetsFromRecord } from '../../docs/docs-assets'
import { uiAssetsFromRecord } from '../../ui/ui-assets'
import { schema, type AppDatabase } from '../../db/database'
import { createFetchTransport } from '../../engine/http/fetch-transport'
import { mappingSourceFromRecord } from '../../engine/mapping/mapping-source'
import { ApiError } from '../../lib/http-errors'
import type { GatewayServices } from '../../services'
import { buildServices } from '../build-services'
import { durableRateLimitStore } from './durable-rate-limit-store'
import mappingFiles from './mapping-bundle.generated.json'
import docsFiles from './docs-bundle.generated.json'
import uiFiles from './ui-bundle.generated.json'
import { syncQueueFrom } from './sync-queue-consumer'
import { settingsEnv, type WorkerEnv } from './worker-env'

interface WorkerGateway {
  services: GatewayServices
  app: ReturnType<typeof buildApp>
}

/** A deployment that cannot serve (a secret is missing); the message says which command fixes it. */
class WorkerConfigurationError extends ApiError {
  constructor(message: string) {
    super(500, 'configuration_error', message)
  }
}

async function createWorkerGateway(env: WorkerEnv): Promise<WorkerGateway> {
  const vars = settingsEnv(env)
  // No file system to generate a key into (as Node does): the key must be a secret.
  if (!vars.UNIMETER_ENCRYPTION_KEY) {
    throw new WorkerConfigurationError(
      'UNIMETER_ENCRYPTION_KEY is not set: run `wrangler secret put UNIMETER_ENCRYPTION_KEY` (locally: add it to .dev.vars) with 32 random bytes, base64 (`openssl rand -base64 32`)',
    )
  }
  if (!env.DB)
    throw new WorkerConfigurationError('The D1 binding DB is missing: declare it in wrangler.toml ([[d1_databases]] binding = "DB")')
  let services: GatewayServices
  try {
    services = await buildServices({
      env: vars,
      db: drizzle(env.DB, { schema }) as unknown as AppDatabase,
      transport: createFetchTransport(fetch),
      mappingSource: mappingSourceFromRecord(mappingFiles),
      encryptionKey: vars.UNIMETER_ENCRYPTION_KEY,
      deliveryQueue: env.WEBHOOK_DELIVERIES && { deliveries: env.WEBHOOK_DELIVERIES, deadLetters: env.WEBHOOK_DEAD_LETTERS },
      rateLimitStore: durableRateLimitStore(env.RATE_LIMITER),
      syncQueue: syncQueueFrom(env),
    })
  } catch (err) {
    // Invalid settings or key: loadSettings and the keyring name the variable at fault.
    throw new WorkerConfigurationError((err as Error).message)
  }
  // Node prints a generated token on first start; a Worker has nowhere to print one.
  if (!services.settings.UNIMETER_ADMIN_TOKEN && (await services.tokens.countActive()) === 0) {
    throw new WorkerConfigurationError(
      'No API token can be accepted: run `wrangler secret put UNIMETER_ADMIN_TOKEN` (locally: add it to .dev.vars), 16+ characters',
    )
  }
  return { services, app: buildApp(services, docsAssetsFromRecord(docsFiles), uiAssetsFromRecord(uiFiles)) }
}

let current: Promise<WorkerGateway> | undefined

export function workerGateway(env: WorkerEnv): Promise<WorkerGateway> {
  if (!current) {
    const building = createWorkerGateway(env)
    current = building
    // A failed start (missing secret, D1 not yet migrated) is retried by the next request.
    building.catch(() => {
      if (current === building) current = undefined
    })
  }
  return current
}
