/**
 * Checkpoints of the SQLite write-ahead log on a thread of their own. Left to the writing
 * connection, a checkpoint runs inside whichever commit pushes the WAL past 1,000 pages (about
 * every other page of a sync): it copies the WAL into the database file and waits for both to
 * reach the disk, and the event loop waits with it (bench/probes/wal-checkpoints.ts: a third of
 * the wall-clock time of a first sync's inserts, BENCHMARKS.md). A second connection on a
 * worker thread checkpoints instead (SQLite's documented alternative to automatic checkpoints;
 * writers and a PASSIVE checkpoint do not block each other), so the copy and the fsyncs overlap
 * with the sync's next page. Durability is unchanged: with `synchronous = NORMAL` a commit is on
 * disk once a checkpoint has synced it, and these run more often, not less.
 */
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { Worker } from 'node:worker_threads'
import type Database from 'better-sqlite3'

/**
 * WAL pages (4 KB) past which the writing connection still checkpoints by itself: a bound on the
 * WAL (~40 MB) should the thread fall behind or stop.
 */
export const BACKSTOP_CHECKPOINT_PAGES = 10_000
/** What SQLite does without a checkpoint thread: its default `wal_autocheckpoint`. */
const INLINE_CHECKPOINT_PAGES = 1000
/** About every other sync page: each checkpoint syncs both files, so not more often than a few pages' worth. */
const INTERVAL_MS = 250
/** How long close() waits for the thread to close its connection (it may be inside a checkpoint). */
const CLOSE_WAIT_MS = 5000

// CommonJS, evaluated as the worker's source: the driver is loaded from the path resolved here, so
// the thread needs no file of its own next to a bundle. `done` tells close() its connection is closed.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const done = new Int32Array(workerData.done)
const db = new Database(workerData.path, { fileMustExist: true })
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)')
const timer = setInterval(() => checkpoint.get(), workerData.intervalMs)
parentPort.once('message', () => {
  clearInterval(timer)
  db.close()
  Atomics.store(done, 0, 1)
  Atomics.notify(done, 0)
  parentPort.close()
})
`

export interface WalCheckpointer {
  /** Stops the thread and closes its connection (waits for a checkpoint in progress to end). */
  stop(): void
}

/**
 * Starts checkpointing `path`'s WAL on a worker thread and raises the writing connection's own
 * threshold to the backstop; should the thread fail, the connection goes back to checkpointing
 * inline as before.
 */
export function startWalCheckpointer(sqlite: Database.Database, path: string): WalCheckpointer {
  const done = new SharedArrayBuffer(4)
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    // It allocates next to nothing: a small heap keeps the thread's memory small.
    resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 },
    workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), path: resolve(path), done, intervalMs: INTERVAL_MS },
  })
  // A background helper: it never keeps the process alive.
  worker.unref()
  sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`)
  let running = true
  worker.once('error', () => {
    running = false
    if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${INLINE_CHECKPOINT_PAGES}`)
  })
  return {
    stop() {
      if (!running) return
      running = false
      worker.postMessage('stop')
      Atomics.wait(new Int32Array(done), 0, 0, CLOSE_WAIT_MS)
    },
  }
}
