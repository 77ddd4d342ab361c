/**
 * Starts the gateway's WAL checkpoint thread (src/db/wal-checkpointer.ts) only once the gateway
 * writes in bulk, i.e. once the WAL file has grown past `thresholdBytes`. The thread is a V8
 * isolate of its own, about 10 MB of RSS for the process's life (BENCHMARKS.md, issue 16): a
 * gateway that serves lists and stream exports writes a few rows, which SQLite's own automatic
 * checkpoint (every 1,000 pages, ~4 MB) handles without stopping anything noticeably, and never
 * needs it. A sync run writes megabytes per page and starts it within one poll.
 *
 * The WAL file only grows: a checkpoint resets it (SQLite writes it again from its start) but
 * leaves the file's size, so its size is the most written between two checkpoints so far.
 */
import { statSync } from 'node:fs'

/** Half of SQLite's automatic checkpoint: more than start-up and a few rows write (0.2–0.3 MB). */
export const BULK_WAL_BYTES = 2 * 1024 * 1024
const POLL_MS = 1000

export function checkpointsOnceWriting(
  walPath: string,
  start: () => void,
  { thresholdBytes = BULK_WAL_BYTES, pollMs = POLL_MS }: { thresholdBytes?: number; pollMs?: number } = {},
): { stop(): void } {
  const timer = setInterval(() => {
    if ((statSync(walPath, { throwIfNoEntry: false })?.size ?? 0) < thresholdBytes) return
    clearInterval(timer)
    start()
  }, pollMs)
  // A background check: it never keeps the process alive.
  timer.unref()
  return { stop: () => clearInterval(timer) }
}
