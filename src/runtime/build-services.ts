/** Assembles GatewayServices from what a runtime provides (database, HTTP, mapping files, key). */
import { connectors as defaultConnectors } from '../../connectors'
import type { ConnectorRegistry } from '../../connectors/registry'
import { AccountStore } from '../accounts/account-store'
import { TokenStore } from '../accounts/token-store'
import { LinkTokenStore } from '../connect/link-token-store'
import { loadSettings, type Settings } from '../config/settings'
import { deriveKey, sha256Hex, webHmacSigner, type HmacSignerFactory, type Sha256Hex } from '../crypto/digest'
import { createKeyring } from '../crypto/keyring'
import { batchWriter, type AtomicWriter } from '../db/atomic'
import type { AppDatabase } from '../db/database'
import { createCursorCodec } from '../engine/cursor'
import type { HttpTransport } from '../engine/http/transport'
import type { WebSocketFactory } from '../engine/http/websocket'
import { MappingEngine } from '../engine/mapping/mapping-engine'
import type { MappingSource } from '../engine/mapping/mapping-source'
import { SideLoadCache } from '../engine/side-loads'
import { EventBus } from '../lib/event-bus'
import { createLogger, type LogSink } from '../lib/logger'
import { Redactor } from '../lib/redactor'
import { models as defaultModels, type ModelRegistry } from '../models'
import { memoryRateLimitStore, type RateLimitStoreFactory } from '../routes/rate-limit-store'
import type { GatewayServices } from '../services'
import { createSyncHost } from '../sync/host'
import { superQueryList } from '../sync/super-query/handler'
import { setBasedRecordWrites, type RecordWrites } from '../sync/record-writes'
import type { SyncRunQueue } from '../sync/run-queue'
import { loadSyncSettings } from '../sync/sync-settings'
import { subscribeWebhookDeliveries } from '../webhooks/attach'
import { idleDeliveryPump } from '../webhooks/delivery-pump'
import type { DeliveryQueue } from '../webhooks/delivery-queue'

export interface RuntimeParts {
  env: Record<string, string | undefined>
  db: AppDatabase
  /** How this runtime writes atomically; default `db.batch` (D1). Node passes its transaction writer. */
  atomic?: AtomicWriter
  /** How sync pages are written; default set-based statements (D1). Node passes its prepared ones. */
  recordWrites?: RecordWrites
  transport: HttpTransport
  /** A faster SHA-256 of the same result where the runtime has one; default Web Crypto. */
  sha256Hex?: Sha256Hex
  /** Likewise for HMAC-SHA-256 (cursor signing); default Web Crypto. */
  hmacSigner?: HmacSignerFactory
  /** The WebSocket client class for custom protocols; default the global WebSocket. */
  webSocket?: WebSocketFactory
  mappingSource: MappingSource
  /** Where the gateway's own rate limits are counted; default this process's memory (Node). */
  rateLimitStore?: RateLimitStoreFactory
  /** The database's change counter (SQLite's data_version), for caching rows (see RowCache); Node only. */
  dataVersion?: () => number
  /** The encryption key text (base64/hex); required. */
  encryptionKey: string
  settings?: Settings
  logSink?: LogSink
  connectors?: ConnectorRegistry
  /** The unified resources served; default every resource of src/models (tests add their own). */
  models?: ModelRegistry
  /** Workers: the webhook delivery queue's producers; without them the in-process pump sends. */
  deliveryQueue?: DeliveryQueue
  /** Workers: the queue sync runs are handed to; none on Node (runs execute in process). */
  syncQueue?: SyncRunQueue
}

export async function buildServices(parts: RuntimeParts): Promise<GatewayServices> {
  const settings = parts.settings ?? loadSettings(parts.env)
  const redactor = new Redactor()
  const logger = createLogger(settings.UNIMETER_LOG_LEVEL, parts.logSink, (line) => redactor.redactText(line))
  const keyring = await createKeyring(
    { key: parts.encryptionKey, version: settings.UNIMETER_ENCRYPTION_KEY_VERSION },
    settings.UNIMETER_PREVIOUS_ENCRYPTION_KEYS,
  )
  const mappings = new MappingEngine(parts.mappingSource, logger)
  const tokens = new TokenStore(parts.db, parts.sha256Hex ?? sha256Hex, parts.dataVersion)
  await tokens.setBootstrapToken(settings.UNIMETER_ADMIN_TOKEN)
  // Cursors are signed with a sub-key of the current encryption key: the key itself never signs,
  // and a key rotation only invalidates cursors handed out before it (walks restart).
  const cursorSigner = await (parts.hmacSigner ?? webHmacSigner)(await deriveKey(keyring.current.raw, 'cursor-signing'))
  const services: GatewayServices = {
    settings,
    env: parts.env,
    logger,
    redactor,
    db: parts.db,
    atomic: parts.atomic ?? batchWriter(parts.db),
    recordWrites: parts.recordWrites ?? setBasedRecordWrites(parts.db),
    keyring,
    sha256Hex: parts.sha256Hex ?? sha256Hex,
    accounts: new AccountStore(parts.db, keyring, redactor, parts.dataVersion),
    tokens,
    linkTokens: new LinkTokenStore(parts.db, parts.sha256Hex ?? sha256Hex),
    connectors: parts.connectors ?? defaultConnectors,
    models: parts.models ?? defaultModels,
    engine: { settings, transport: parts.transport, mappings, logger, redactor, webSocket: parts.webSocket },
    cursors: createCursorCodec(cursorSigner),
    sideLoadCache: new SideLoadCache(),
    events: new EventBus(),
    sandboxUrls: new Map(),
    syncHost: createSyncHost(loadSyncSettings(parts.env), logger),
    syncQueue: parts.syncQueue,
    webhookPump: idleDeliveryPump(),
    deliveryQueue: parts.deliveryQueue,
    rateLimits: (parts.rateLimitStore ?? memoryRateLimitStore)(settings.UNIMETER_RATE_LIMIT_WINDOW_MS, logger),
    superQuery: (input) => superQueryList(services, input),
  }
  // Every event on the bus (sync changes, account status) is stored and sent to the webhooks.
  subscribeWebhookDeliveries(services)
  return services
}
