/**
 * A probe for issue 16, target 5: what an unchanged re-sync would save by recording the keys it
 * saw as one row per page, instead of rewriting every unchanged record's row to move
 * `last_seen_*` (the "touch"), and what finding the unseen records then costs at the end of the
 * run. Both designs run on the same real SQLite file (the gateway's schema and pragmas) after a
 * first sync of N synthetic users through this tree's diffPage and prepared writes; a share of
 * the users (every 100th) is left out of the re-sync, so the scans have something to find, and
 * each scan's result is checked against the other's.
 *
 * - touch: per page, the prepared touch of every unchanged record, committed; then the chunked
 *   scan of src/sync/deletions.ts (planDeletions).
 * - seen rows: per page, one row (run, account, resource, the page's keys as a JSON array),
 *   committed; then the unseen records found by `record_id NOT IN` the run's keys, either as one
 *   query (the event loop held for all of it), per chunk of 10,000 rows as the scan goes today
 *   (the subquery built again for every chunk), or with the keys first copied into a temporary
 *   table with a key, looked up per record by the chunked scan.
 *
 *   npx tsx bench/probes/seen-rows.ts [users=100000] [rounds=3]
 *
 * CPU per record is the process's own (user + system); wall time is printed too. Not part of
 * `npm run bench`; numbers are printed, never asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import { sqliteTransactionWriter } from '../../src/db/atomic'
import { openSqlite } from '../../src/db/open-sqlite'
import { models } from '../../src/models/index'
import { nodeSha256Hex } from '../../src/runtime/node/node-digests'
import type { GatewayServices } from '../../src/services'
import { DELETION_SCAN_CHUNK, planDeletions } from '../../src/sync/deletions'
import { diffPage, type RunScope } from '../../src/sync/page-writer'
import { preparedRecordWrites } from '../../src/sync/prepared-record-writes'
import { cpuMs, median, syntheticUser } from '../lib/synthetic-users'

const users = Number(process.argv[2] ?? 100_000)
const rounds = Number(process.argv[3] ?? 3)
const PAGE = 1000
const GONE_EVERY = 100
const ACCOUNT = 'acc'
const RESOURCE = 'usage-metering/users'
const resource = models.get('usage-metering', 'users')!

const SEEN_TABLE = `CREATE TABLE IF NOT EXISTS sync_run_seen (run_id TEXT NOT NULL, integrated_account_id TEXT NOT NULL,
  resource TEXT NOT NULL, record_ids TEXT NOT NULL)`
const SEEN_INDEX = 'CREATE INDEX IF NOT EXISTS sync_run_seen_run_idx ON sync_run_seen (run_id, integrated_account_id, resource)'
const SEEN_KEYS = `SELECT value FROM sync_run_seen, json_each(sync_run_seen.record_ids)
  WHERE run_id = @run AND integrated_account_id = @account AND resource = @resource`
const LIVE_UNSEEN = `integrated_account_id = @account AND resource = @resource AND deleted_at IS NULL AND last_seen_run_id <> @run`

interface Cost {
  cpu: number
  wall: number
}

async function measure<T>(work: () => Promise<T> | T): Promise<[T, Cost]> {
  const cpu0 = cpuMs()
  const wall0 = performance.now()
  const result = await work()
  return [result, { cpu: cpuMs() - cpu0, wall: performance.now() - wall0 }]
}

const perRecord = (c: Cost): Cost => ({ cpu: (c.cpu * 1000) / users, wall: (c.wall * 1000) / users })
const pageIds = (p: number) =>
  Array.from({ length: PAGE }, (_, k) => p * PAGE + k)
    .filter((i) => i % GONE_EVERY !== 0)
    .map((i) => syntheticUser(i, users).id as string)

/** The chunked scan of today, with the run's seen keys as the extra condition. */
function chunkedNotIn(sqlite: Database.Database, run: string, notSeen: string): string[] {
  const read = sqlite.prepare(
    `SELECT max(rowid) AS last, count(*) AS n, json_group_array(record_id) FILTER (WHERE ${LIVE_UNSEEN} AND ${notSeen}) AS unseen
     FROM (SELECT rowid, * FROM sync_records WHERE integrated_account_id = @account AND resource = @resource AND deleted_at IS NULL
       AND rowid > @after ORDER BY rowid LIMIT @chunk) AS c`,
  )
  const gone: string[] = []
  for (let after = 0; ;) {
    const row = read.get({ account: ACCOUNT, resource: RESOURCE, run, after, chunk: DELETION_SCAN_CHUNK }) as {
      last: number | null
      n: number
      unseen: string
    }
    gone.push(...(JSON.parse(row.unseen) as string[]))
    if (row.n < DELETION_SCAN_CHUNK || row.last === null) return gone
    after = row.last
  }
}

type Results = Record<string, Cost[]>
const results: Results = {}
const record = (label: string, c: Cost) => (results[label] ??= []).push(perRecord(c))

for (let round = 0; round < rounds; round++) {
  const dir = mkdtempSync(join(tmpdir(), 'unimeter-seen-rows-'))
  const opened = openSqlite(join(dir, 'gateway.db'))
  try {
    opened.sqlite.pragma('foreign_keys = OFF')
    opened.sqlite.exec(SEEN_TABLE)
    opened.sqlite.exec(SEEN_INDEX)
    const writes = preparedRecordWrites(opened.sqlite)
    const services = { recordWrites: writes, sha256Hex: nodeSha256Hex, db: opened.db } as GatewayServices
    const atomic = sqliteTransactionWriter(opened.db)
    const scope = (runId: string): RunScope => ({ accountId: ACCOUNT, jobId: 'job', runId, resource, resourceKey: RESOURCE })
    for (let p = 0; p < users / PAGE; p++) {
      const records = Array.from({ length: PAGE }, (_, k) => syntheticUser(p * PAGE + k, users))
      await atomic.run((await diffPage(services, scope('run-1'), records, new Date().toISOString())).statements)
    }
    const designs = {
      touch: async () => {
        const run = `touch-${round}`
        const [, writeCost] = await measure(async () => {
          for (let p = 0; p < users / PAGE; p++) {
            const page = { accountId: ACCOUNT, resourceKey: RESOURCE, runId: run, jobId: 'job', now: new Date().toISOString() }
            await atomic.run(writes.touch(page, pageIds(p)))
          }
        })
        record('re-sync writes: touch each record', writeCost)
        const [plan, scanCost] = await measure(() => planDeletions(services, scope(run), users, false, 'T'))
        record('deletion scan: chunked, last_seen_run_id', scanCost)
        return plan.events.map((e) => e.payload.record_id as string)
      },
      seen: async () => {
        const run = `seen-${round}`
        const insert = opened.sqlite.prepare('INSERT INTO sync_run_seen VALUES (?, ?, ?, ?)')
        const [, writeCost] = await measure(async () => {
          for (let p = 0; p < users / PAGE; p++) {
            const ids = JSON.stringify(pageIds(p))
            await atomic.run([{ local: true, run: () => void insert.run(run, ACCOUNT, RESOURCE, ids) }])
          }
        })
        record('re-sync writes: one seen row per page', writeCost)
        const params = { account: ACCOUNT, resource: RESOURCE, run }
        const [single, singleCost] = await measure(
          () =>
            JSON.parse(
              opened.sqlite
                .prepare(
                  `SELECT json_group_array(record_id) FROM (SELECT record_id FROM sync_records WHERE ${LIVE_UNSEEN}
                   AND record_id NOT IN (${SEEN_KEYS}) ORDER BY rowid)`,
                )
                .pluck()
                .get(params) as string,
            ) as string[],
        )
        record('deletion scan: one NOT IN query', singleCost)
        const [chunked, chunkedCost] = await measure(() => chunkedNotIn(opened.sqlite, run, `record_id NOT IN (${SEEN_KEYS})`))
        record('deletion scan: chunked, NOT IN per chunk', chunkedCost)
        const [temp, tempCost] = await measure(() => {
          opened.sqlite.exec('CREATE TEMP TABLE seen_keys (record_id TEXT PRIMARY KEY) WITHOUT ROWID')
          opened.sqlite.prepare(`INSERT OR IGNORE INTO seen_keys ${SEEN_KEYS}`).run(params)
          const gone = chunkedNotIn(opened.sqlite, run, 'NOT EXISTS (SELECT 1 FROM seen_keys k WHERE k.record_id = c.record_id)')
          opened.sqlite.exec('DROP TABLE seen_keys')
          return gone
        })
        record('deletion scan: keys in a temporary table, chunked', tempCost)
        for (const other of [chunked, temp])
          if (JSON.stringify(other) !== JSON.stringify(single))
            throw new Error(`the seen-row scans disagree: ${single.length}, ${chunked.length}, ${temp.length} found`)
        return single
      },
    }
    const order = round % 2 === 0 ? (['touch', 'seen'] as const) : (['seen', 'touch'] as const)
    const found = []
    for (const d of order) found.push(await designs[d]())
    if (JSON.stringify(found[0]) !== JSON.stringify(found[1])) throw new Error('touch and seen rows find different records')
    if (found[0].length !== users / GONE_EVERY) throw new Error(`expected ${users / GONE_EVERY} unseen, found ${found[0].length}`)
  } finally {
    opened.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

for (const [label, costs] of Object.entries(results))
  console.log(
    `${label}: CPU ${median(costs.map((c) => c.cpu)).toFixed(2)} µs/record, wall ${median(costs.map((c) => c.wall)).toFixed(2)} µs/record` +
      ` (rounds CPU ${costs.map((c) => c.cpu.toFixed(2)).join(', ')})`,
  )
