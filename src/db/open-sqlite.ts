/** Node: open (or create) the SQLite file and bring its schema up to date. */
import Database from 'better-sqlite3'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { AppDatabase } from './database'
import * as schema from './schema'
import { startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer'

export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), 'migrations')

export interface OpenedSqlite {
  db: AppDatabase
  sqlite: Database.Database
  /** SQLite's `PRAGMA data_version`: moves when another connection commits (see RowCache). */
  dataVersion(): number
  /**
   * From now on, checkpoint the WAL on a thread of its own (src/db/wal-checkpointer.ts): for the
   * gateway's long-lived connection, once it has started (a thread started earlier competes with
   * start-up for the CPU). Short-lived connections (a CLI command) checkpoint as SQLite does by default.
   */
  checkpointInBackground(): void
  close(): void
}

export function openSqlite(path: string): OpenedSqlite {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true })
  const sqlite = new Database(path)
  // WAL lets readers (API requests) run while a sync run writes; NORMAL is durable enough with WAL.
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  const db = drizzle(sqlite, { schema }) as unknown as AppDatabase
  migrate(drizzle(sqlite), { migrationsFolder: MIGRATIONS_DIR })
  const dataVersion = sqlite.prepare('PRAGMA data_version').pluck()
  let checkpointer: WalCheckpointer | undefined
  const checkpointInBackground = () => {
    if (checkpointer === undefined && path !== ':memory:' && sqlite.open) checkpointer = startWalCheckpointer(sqlite, path)
  }
  const close = () => {
    checkpointer?.stop()
    sqlite.close()
  }
  return { db, sqlite, dataVersion: () => dataVersion.get() as number, checkpointInBackground, close }
}
