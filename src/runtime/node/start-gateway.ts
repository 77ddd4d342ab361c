/**
 * Node: start the whole gateway — SQLite (migrated), services, sandbox, HTTP server. Used by
 * `npm start`, the CLI's `serve`, the tests and the benchmarks alike.
 */
import { getRequestListener } from '@hono/node-server'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { buildApp } from '../../app'
import { loadSettings, type Settings } from '../../config/settings'
import { sqliteTransactionWriter } from '../../db/atomic'
import { preparedRecordWrites } from '../../sync/prepared-record-writes'
import { nodeHmacSigner, nodeSha256Hex } from './node-digests'
import { openSqlite } from '../../db/open-sqlite'
import { createUndiciTransport } from '../../engine/http/undici-transport'
import { undiciWebSocket } from '../../engine/http/undici-websocket'
import type { LogSink } from '../../lib/logger'
import { startSandbox, type Sandbox } from '../../sandbox/sandbox'
import type { SimulatorOptions } from '../../sandbox/simulator-kit/types'
import { startSyncScheduler } from '../../sync/node/scheduler'
import type { GatewayServices } from '../../services'
import { buildServices } from '../build-services'
import { nodeDocsAssets } from './docs-assets'
import { nodeUiAssets } from './ui-assets'
import { loadOrCreateKey } from './encryption-key'
import { checkpointsOnceWriting } from './checkpoints-once-writing'
import { answerClientErrors, MAX_HEADER_BYTES, requestErrorHandler } from './http-limits'
import { fileMappingSource } from './mapping-files'

export interface GatewayOptions {
  env?: Record<string, string | undefined>
  logSink?: LogSink
  simulatorOptions?: SimulatorOptions
}

export interface RunningGateway {
  url: string
  port: number
  settings: Settings
  services: GatewayServices
  sandbox?: Sandbox
  /** A token generated on this start (first start without UNIMETER_ADMIN_TOKEN), shown once. */
  generatedAdminToken?: string
  keySource: string
  close(): Promise<void>
}

export async function startGateway(options: GatewayOptions = {}): Promise<RunningGateway> {
  const env = options.env ?? process.env
  const settings = loadSettings(env)
  const { key, source } = loadOrCreateKey(settings.UNIMETER_ENCRYPTION_KEY, settings.UNIMETER_DATABASE_PATH)
  const sqlite = openSqlite(settings.UNIMETER_DATABASE_PATH)
  const transport = createUndiciTransport({ connections: settings.UNIMETER_VENDOR_CONNECTIONS })
  const services = await buildServices({
    env,
    settings,
    db: sqlite.db,
    dataVersion: sqlite.dataVersion,
    atomic: sqliteTransactionWriter(sqlite.db),
    recordWrites: preparedRecordWrites(sqlite.sqlite),
    transport,
    sha256Hex: nodeSha256Hex,
    hmacSigner: nodeHmacSigner,
    webSocket: undiciWebSocket,
    mappingSource: fileMappingSource(),
    encryptionKey: key,
    logSink: options.logSink,
  })

  let generatedAdminToken: string | undefined
  if (!settings.UNIMETER_ADMIN_TOKEN && (await services.tokens.countActive()) === 0) {
    generatedAdminToken = (await services.tokens.create('admin (generated on first start)')).token
  }

  const app = buildApp(services, nodeDocsAssets(), nodeUiAssets())
  // What @hono/node-server's serve() does, plus the HTTP layer's limits and its errors in the
  // contract's envelope (./http-limits.ts).
  const listener = getRequestListener(app.fetch, { hostname: settings.HOST, errorHandler: requestErrorHandler(services.logger) })
  // The server listens before the sandbox's simulators start, so liveness (/health) answers as
  // soon as the gateway can; every other request waits until start-up has finished, and gets
  // exactly the answer it would have got after it.
  let started: Promise<unknown> | undefined
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    if (started === undefined || req.url === '/health') return listener(req, res)
    return started.then(() => listener(req, res))
  })
  answerClientErrors(server)
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject)
    server.listen(settings.PORT, settings.HOST, () => resolve((server.address() as AddressInfo).port))
  })
  const starting = settings.UNIMETER_SANDBOX ? startSandbox(services, options.simulatorOptions) : Promise.resolve(undefined)
  started = starting.catch(() => undefined)
  let sandbox: Sandbox | undefined
  try {
    sandbox = await starting
  } catch (err) {
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
    throw err
  } finally {
    started = undefined
  }
  // Sync schedules, resumed runs and webhook retries, in this process (after the sandbox: a
  // schedule may sync a sandbox account).
  const stopScheduler = startSyncScheduler(services)
  // Not before: its thread would compete with start-up for the CPU (cold start, BENCHMARKS.md);
  // and only once something writes in bulk (a sync run): the thread costs ~10 MB of RSS.
  const checkpoints = checkpointsOnceWriting(`${settings.UNIMETER_DATABASE_PATH}-wal`, () => sqlite.checkpointInBackground())
  const gateway: RunningGateway = {
    url: `http://${settings.HOST}:${port}`,
    port,
    settings,
    services,
    sandbox,
    generatedAdminToken,
    keySource: source,
    close: async () => {
      await stopScheduler()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      await sandbox?.close()
      await transport.close()
      checkpoints.stop()
      sqlite.close()
    },
  }
  return gateway
}
