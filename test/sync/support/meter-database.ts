/**
 * A real SQLite file in a temporary directory with the meter's gateway services over it
 * (support/window-fixture.ts), for tests of the sync's page writes that need no vendor: opened
 * before each test, closed and removed after it.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openSqlite, type OpenedSqlite } from '../../../src/db/open-sqlite'
import type { GatewayServices } from '../../../src/services'
import { meterServices } from './window-fixture'

export interface MeterDatabase {
  dir: string
  sqlite: OpenedSqlite
  services: GatewayServices
}

/**
 * Opens the file under a new directory named from `prefix`. `standalone` turns foreign keys off,
 * for rows that stand alone (the account and run they would belong to are not what is tested).
 */
export async function openMeterDatabase(prefix: string, { standalone = false } = {}): Promise<MeterDatabase> {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  const sqlite = openSqlite(join(dir, 'gateway.db'))
  if (standalone) sqlite.sqlite.pragma('foreign_keys = OFF')
  // No vendor is called: the port is never listened on.
  const services = await meterServices(sqlite, { UNIMETER_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64') }, 'http://127.0.0.1:9')
  return { dir, sqlite, services }
}

export function closeMeterDatabase(opened: MeterDatabase | undefined): void {
  if (!opened) return
  opened.sqlite.close()
  rmSync(opened.dir, { recursive: true, force: true })
}
