/**
 * Everything a request handler may use, built once at start-up by buildServices
 * (src/runtime/build-services.ts, for both runtimes) and passed to createApp. No module reaches
 * for globals or keeps state of its own: a test can build its own, two of them side by side.
 */
import type { AccountStore } from './accounts/account-store'
import type { TokenStore } from './accounts/token-store'
import type { LinkTokenStore } from './connect/link-token-store'
import type { Settings } from './config/settings'
import type { Sha256Hex } from './crypto/digest'
import type { Keyring } from './crypto/keyring'
import type { AtomicWriter } from './db/atomic'
import type { AppDatabase } from './db/database'
import type { ConnectorDefinition } from './engine/connector-types'
import type { CursorCodec } from './engine/cursor'
import type { SideLoadCache } from './engine/side-loads'
import type { EngineDeps } from './engine/vendor-session'
import type { Logger } from './lib/logger'
import type { Redactor } from './lib/redactor'
import type { ModelRegistry } from './models/model-registry'
import type { ConnectorRegistry } from '../connectors/registry'
import type { EventBus } from './lib/event-bus'
import type { SyncHost } from './sync/host'
import type { RecordWrites } from './sync/record-writes'
import type { SyncRunQueue } from './sync/run-queue'
import type { SuperQueryReader } from './unified/list'
import type { DeliveryPump } from './webhooks/delivery-pump'
import type { DeliveryQueue } from './webhooks/delivery-queue'
import type { RateLimitStore } from './routes/rate-limit-store'

export interface GatewayServices {
  settings: Settings
  /** The raw environment, for per-connector base URL overrides. */
  env: Record<string, string | undefined>
  logger: Logger
  /** Scrubs every secret the gateway opened from logs, errors and debug output. */
  redactor: Redactor
  db: AppDatabase
  /** All-or-nothing writes (a transaction on better-sqlite3, a batch on D1). */
  atomic: AtomicWriter
  /** How a sync page's records are written: prepared statements on better-sqlite3, set-based on D1. */
  recordWrites: RecordWrites
  keyring: Keyring
  /** SHA-256 hex (Web Crypto, or the runtime's faster equal), e.g. for sync content hashes. */
  sha256Hex: Sha256Hex
  accounts: AccountStore
  tokens: TokenStore
  /** Passes to the /connect page, for end users connecting their own accounts. */
  linkTokens: LinkTokenStore
  connectors: ConnectorRegistry
  models: ModelRegistry
  engine: EngineDeps
  cursors: CursorCodec
  sideLoadCache: SideLoadCache
  events: EventBus
  /** This process's sync work: its lease-owner id, the runs it executes, its background tasks. */
  syncHost: SyncHost
  /** Workers: the queue runs are handed to (src/sync/run-queue.ts); absent on Node, which runs them in process. */
  syncQueue?: SyncRunQueue
  /** This process's webhook delivery pump. */
  webhookPump: DeliveryPump
  /** Workers: the queue that sends deliveries instead of the pump (src/webhooks/delivery-queue.ts); Node has none. */
  deliveryQueue?: DeliveryQueue
  /** Where the per-token and per-account rate limits are counted (memory on Node, Durable Objects on Workers). */
  rateLimits: RateLimitStore
  /** Answers `truto_super_query` lists from the local copy (src/sync/super-query). */
  superQuery: SuperQueryReader
  /** Base URLs of the running sandbox simulators, by connector id (empty when the sandbox is off). */
  sandboxUrls: Map<string, string>
}

export type { ConnectorDefinition }
