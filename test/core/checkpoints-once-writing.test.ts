/**
 * The gateway starts its WAL checkpoint thread only once something writes in bulk
 * (src/runtime/node/checkpoints-once-writing.ts): a few rows leave it unstarted, a bulk write
 * starts it, once; and the thread it starts then checkpoints the real database.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { openSqlite, type OpenedSqlite } from '../../src/db/open-sqlite'
import { BULK_WAL_BYTES, checkpointsOnceWriting } from '../../src/runtime/node/checkpoints-once-writing'

const POLL_MS = 20
const polls = (n: number) => new Promise((r) => setTimeout(r, n * POLL_MS))

let dir: string
let opened: OpenedSqlite
let watcher: { stop(): void } | undefined
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'unimeter-checkpoints-once-writing-'))
  opened = openSqlite(join(dir, 'db.sqlite'))
  opened.sqlite.exec('CREATE TABLE filler (data BLOB NOT NULL)')
})
afterEach(() => {
  watcher?.stop()
  opened.close()
  rmSync(dir, { recursive: true, force: true })
})

/** `pages` rows of 4,000 bytes in one transaction: about that many WAL pages. */
function write(pages: number): void {
  const insert = opened.sqlite.prepare('INSERT INTO filler VALUES (?)')
  opened.sqlite.transaction(() => {
    for (let i = 0; i < pages; i++) insert.run(Buffer.alloc(4000, i % 256))
  })()
}

it('does not start the thread for a few rows, and starts it once for a bulk write', async () => {
  const wal = join(dir, 'db.sqlite-wal')
  let starts = 0
  watcher = checkpointsOnceWriting(wal, () => starts++, { pollMs: POLL_MS })
  write(20)
  await polls(5)
  expect(statSync(wal).size).toBeLessThan(BULK_WAL_BYTES)
  expect(starts).toBe(0)
  write(600)
  await polls(5)
  expect(starts).toBe(1)
  write(600)
  await polls(5)
  expect(starts).toBe(1)
})

it('never starts it once stopped', async () => {
  let starts = 0
  watcher = checkpointsOnceWriting(join(dir, 'db.sqlite-wal'), () => starts++, { pollMs: POLL_MS })
  watcher.stop()
  write(600)
  await polls(5)
  expect(starts).toBe(0)
})

it('starts the thread that then checkpoints the database file', async () => {
  const path = join(dir, 'db.sqlite')
  watcher = checkpointsOnceWriting(`${path}-wal`, () => opened.checkpointInBackground(), { pollMs: POLL_MS })
  write(600)
  // The writing connection's own checkpoint is at 1,000 pages: only the thread copies these 600.
  const deadline = Date.now() + 20_000
  while (statSync(path).size < 2_000_000 && Date.now() < deadline) await polls(1)
  expect(statSync(path).size).toBeGreaterThan(2_000_000)
})
