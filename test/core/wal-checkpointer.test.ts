/**
 * The gateway's SQLite connection leaves WAL checkpoints to a thread of its own
 * (src/db/wal-checkpointer.ts): the database file receives the committed pages without the
 * writing connection checkpointing, and closing leaves no WAL behind, as a connection closed
 * alone does.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { openSqlite, type OpenedSqlite } from '../../src/db/open-sqlite'
import { BACKSTOP_CHECKPOINT_PAGES } from '../../src/db/wal-checkpointer'

/** About 2 MB in one transaction: ~500 WAL pages, fewer than either connection checkpoints at by itself. */
function writeTwoMegabytes(opened: OpenedSqlite): void {
  opened.sqlite.exec('CREATE TABLE filler (data BLOB NOT NULL)')
  const insert = opened.sqlite.prepare('INSERT INTO filler VALUES (?)')
  opened.sqlite.transaction(() => {
    for (let i = 0; i < 500; i++) insert.run(Buffer.alloc(4000, i % 256))
  })()
}

const size = (path: string) => statSync(path).size

/** Until the database file has the pages written (a checkpoint ran), at most 20 s. */
async function untilCheckpointed(path: string): Promise<void> {
  const deadline = Date.now() + 20_000
  while (size(path) < 2_000_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
}

let dir: string
const opened: OpenedSqlite[] = []
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'unimeter-wal-checkpointer-'))
})
afterEach(() => {
  for (const o of opened.splice(0)) o.close()
  rmSync(dir, { recursive: true, force: true })
})

it('copies committed pages into the database file from its own thread', async () => {
  const background = openSqlite(join(dir, 'background.db'))
  background.checkpointInBackground()
  const inline = openSqlite(join(dir, 'inline.db'))
  opened.push(background, inline)
  expect(background.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(BACKSTOP_CHECKPOINT_PAGES)
  writeTwoMegabytes(background)
  writeTwoMegabytes(inline)
  await untilCheckpointed(join(dir, 'background.db'))
  expect(size(join(dir, 'background.db'))).toBeGreaterThan(2_000_000)
  // The same write on a connection without the thread is still only in its WAL: no checkpoint was due.
  expect(size(join(dir, 'inline.db'))).toBeLessThan(1_000_000)
  expect(size(join(dir, 'inline.db-wal'))).toBeGreaterThan(2_000_000)
})

it('closes its connection with the database, so no WAL is left behind', async () => {
  const path = join(dir, 'closed.db')
  const background = openSqlite(path)
  background.checkpointInBackground()
  writeTwoMegabytes(background)
  // The thread's connection is open (it has checkpointed): the database's is the last to close only if close() waits for it.
  await untilCheckpointed(path)
  background.close()
  expect(existsSync(`${path}-wal`)).toBe(false)
  expect(size(path)).toBeGreaterThan(2_000_000)
})
