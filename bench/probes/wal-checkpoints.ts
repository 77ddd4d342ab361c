/**
 * A probe for issue 16, target 5: what WAL checkpoints cost a writer in wall-clock time, inline
 * (SQLite's default, as the CLI opens the database) or on a thread of their own (as the gateway
 * does, src/db/wal-checkpointer.ts). N rows shaped like a first sync's are inserted through one
 * cached prepared statement, a transaction per page of 1,000, with `work` µs of CPU per row
 * between pages standing in for the vendor call and the mapping (during which a checkpoint
 * thread can run); rounds interleaved, medians of CPU (every thread's) and wall time per row.
 *
 *   npx tsx bench/probes/wal-checkpoints.ts [rows=100000] [rounds=3] [work=40]
 *
 * Not part of `npm run bench`; numbers are printed, never asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openSqlite } from '../../src/db/open-sqlite'
import { cpuMs, median, syntheticUser } from '../lib/synthetic-users'

const rows = Number(process.argv[2] ?? 100_000)
const rounds = Number(process.argv[3] ?? 3)
const workUs = Number(process.argv[4] ?? 40)
const PAGE = 1000
const INSERT = `INSERT INTO sync_records (integrated_account_id, resource, record_id, unified, remote_data, content_hash, facets,
  first_seen_at, last_seen_at, changed_at, deleted_at, last_seen_run_id, sync_job_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`
const FACETS = JSON.stringify({ status: 'active', emails: ['person@example-company.com'], last_active_at: '2026-12-01T00:00:00.000Z' })

const data = Array.from({ length: rows }, (_, i) => {
  const { remote_data: remote, ...unified } = syntheticUser(i, rows)
  return [unified.id as string, JSON.stringify(unified), JSON.stringify(remote), `j:${'0'.repeat(64)}`]
})

const busy = (us: number) => {
  const until = performance.now() + us / 1000
  while (performance.now() < until);
}

async function insertAll(backgroundCheckpoints: boolean): Promise<[cpu: number, wall: number]> {
  const dir = mkdtempSync(join(tmpdir(), 'unimeter-wal-checkpoints-'))
  const opened = openSqlite(join(dir, 'gateway.db'))
  if (backgroundCheckpoints) opened.checkpointInBackground()
  try {
    opened.sqlite.pragma('foreign_keys = OFF')
    const insert = opened.sqlite.prepare(INSERT)
    const now = new Date().toISOString()
    const page = opened.sqlite.transaction((slice: string[][]) => {
      for (const [id, unified, remote, hash] of slice)
        insert.run('acc', 'usage-metering/users', id, unified, remote, hash, FACETS, now, now, now, 'run', 'job')
    })
    const cpu0 = cpuMs()
    const wall0 = performance.now()
    for (let p = 0; p < rows; p += PAGE) {
      busy(workUs * PAGE)
      page.immediate(data.slice(p, p + PAGE))
      // The event loop turns between pages, as in a sync (the thread's timer is its own).
      await new Promise((resolve) => setImmediate(resolve))
    }
    return [((cpuMs() - cpu0) * 1000) / rows, ((performance.now() - wall0) * 1000) / rows]
  } finally {
    opened.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

const results = new Map<string, number[][]>([
  ['inline checkpoints', []],
  ['checkpoint thread', []],
])
for (let round = 0; round < rounds; round++)
  for (const background of round % 2 === 0 ? [false, true] : [true, false])
    results.get(background ? 'checkpoint thread' : 'inline checkpoints')!.push(await insertAll(background))
for (const [label, runs] of results)
  console.log(
    `${label}: CPU ${median(runs.map((r) => r[0])).toFixed(1)} µs/row, wall ${median(runs.map((r) => r[1])).toFixed(1)} µs/row` +
      ` (wall rounds ${runs.map((r) => r[1].toFixed(1)).join(', ')}; ${workUs} µs/row of it is the stand-in work)`,
  )
