/**
 * SQLite's own pace for the rows a sync stored: the same `sync_records` rows inserted into a
 * fresh database with the gateway's schema and pragmas (WAL, synchronous NORMAL, foreign keys
 * on) through one cached prepared INSERT, one transaction per page of `pageSize` rows. Only the
 * inserts and commits are timed, not reading the rows back: this is the ceiling a sync into
 * SQLite could reach if it did nothing but store rows.
 */
import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface InsertLimit {
  rows: number
  seconds: number
  rps: number
}

export function preparedInsertLimit(sourcePath: string, pageSize: number): InsertLimit {
  const source = new Database(sourcePath, { readonly: true, fileMustExist: true })
  const dir = mkdtempSync(join(tmpdir(), 'unimeter-bench-limit-'))
  const target = new Database(join(dir, 'limit.db'))
  try {
    target.pragma('journal_mode = WAL')
    target.pragma('synchronous = NORMAL')
    target.pragma('foreign_keys = ON')
    const schema = source
      .prepare(
        `SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY type = 'index'`,
      )
      .pluck()
      .all() as string[]
    for (const ddl of schema) target.exec(ddl)
    // The parent rows the records' foreign key checks look up, as in the gateway's database.
    const accounts = source.prepare('SELECT * FROM integrated_accounts').all() as Record<string, unknown>[]
    for (const a of accounts) {
      const cols = Object.keys(a)
      target
        .prepare(`INSERT INTO integrated_accounts (${cols.map((c) => `"${c}"`).join(',')}) VALUES (${cols.map(() => '?').join(',')})`)
        .run(...Object.values(a))
    }
    const columns = (source.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('sync_records') as string[]).map((c) => `"${c}"`)
    const insert = target.prepare(`INSERT INTO sync_records (${columns.join(',')}) VALUES (${columns.map(() => '?').join(',')})`)
    const page = target.transaction((rows: unknown[][]) => {
      for (const row of rows) insert.run(row)
    })
    const read = source.prepare(`SELECT ${columns.join(',')} FROM sync_records ORDER BY rowid`).raw()
    let rows = 0
    let ns = 0n
    let batch: unknown[][] = []
    const flush = () => {
      const t0 = process.hrtime.bigint()
      page(batch)
      ns += process.hrtime.bigint() - t0
      rows += batch.length
      batch = []
    }
    for (const row of read.iterate() as IterableIterator<unknown[]>) {
      batch.push(row)
      if (batch.length === pageSize) flush()
    }
    if (batch.length > 0) flush()
    const seconds = Number(ns) / 1e9
    return { rows, seconds, rps: rows / seconds }
  } finally {
    source.close()
    target.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
