/**
 * A probe for issue 16, target 5: a sync page's own work — diffPage (split, serialize, hash,
 * compare) and the page's commit through the prepared writes into a real SQLite file — for two
 * source trees interleaved in one process (A, B, then B, A, …), as CPU and wall-clock time per record for a
 * first sync and an unchanged re-sync of N synthetic users shaped like Claude's mapped users. No
 * vendor, mapping or HTTP: what src/sync and SQLite cost, side by side, on a machine whose load
 * moves.
 *
 *   npx tsx bench/probes/sync-page-ab.ts <tree A> <tree B> [users=20000] [rounds=5]
 *
 * A tree is a checkout of this repository (a copy of main's, and this one). Not part of
 * `npm run bench`; numbers are printed, never asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { GatewayServices } from '../../src/services'
import { cpuMs, median, syntheticUser } from '../lib/synthetic-users'

const [treeA, treeB] = [process.argv[2], process.argv[3]].map((t) => resolve(t ?? '.'))
const users = Number(process.argv[4] ?? 20_000)
const rounds = Number(process.argv[5] ?? 5)
const PAGE = 1000

/** The tree's own modules (typed as this tree's: both trees have the same interfaces), each compiled and optimized on its own. */
async function load(root: string) {
  const [sqlite, prepared, atomic, pageWriter, digests, models] = await Promise.all([
    import(join(root, 'src/db/open-sqlite.ts')) as Promise<typeof import('../../src/db/open-sqlite')>,
    import(join(root, 'src/sync/prepared-record-writes.ts')) as Promise<typeof import('../../src/sync/prepared-record-writes')>,
    import(join(root, 'src/db/atomic.ts')) as Promise<typeof import('../../src/db/atomic')>,
    import(join(root, 'src/sync/page-writer.ts')) as Promise<typeof import('../../src/sync/page-writer')>,
    import(join(root, 'src/runtime/node/node-digests.ts')) as Promise<typeof import('../../src/runtime/node/node-digests')>,
    import(join(root, 'src/models/index.ts')) as Promise<typeof import('../../src/models/index')>,
  ])
  return { root, sqlite, prepared, atomic, pageWriter, digests, models }
}

type Tree = Awaited<ReturnType<typeof load>>

/**
 * µs per record of a first sync and of an unchanged re-sync into a fresh database: the process's
 * CPU (every thread's), then wall-clock time.
 */
async function syncTwice(t: Tree): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'unimeter-page-ab-'))
  // As the gateway runs it (a tree without the checkpoint thread has no such method).
  const opened = t.sqlite.openSqlite(join(dir, 'gateway.db'))
  opened.checkpointInBackground?.()
  try {
    // The rows stand alone; the account they would belong to is not what is measured.
    opened.sqlite.pragma('foreign_keys = OFF')
    const services = { recordWrites: t.prepared.preparedRecordWrites(opened.sqlite), sha256Hex: t.digests.nodeSha256Hex } as GatewayServices
    const atomic = t.atomic.sqliteTransactionWriter(opened.db)
    const resource = t.models.models.get('usage-metering', 'users')!
    const cpu: number[] = []
    const wall: number[] = []
    for (const runId of ['run-1', 'run-2']) {
      const scope = { accountId: 'acc', jobId: 'job', runId, resource, resourceKey: 'usage-metering/users' }
      const start = cpuMs()
      const wallStart = performance.now()
      for (let p = 0; p < users / PAGE; p++) {
        const records = Array.from({ length: PAGE }, (_, k) => syntheticUser(p * PAGE + k, users))
        const diff = await t.pageWriter.diffPage(services, scope, records, new Date().toISOString())
        await atomic.run(diff.statements)
      }
      cpu.push(((cpuMs() - start) * 1000) / users)
      wall.push(((performance.now() - wallStart) * 1000) / users)
    }
    return [...cpu, ...wall]
  } finally {
    opened.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

const trees = [await load(treeA), await load(treeB)]
const results = new Map<Tree, number[][]>(trees.map((t) => [t, []]))
for (let round = 0; round < rounds; round++)
  for (const t of round % 2 === 0 ? trees : [...trees].reverse()) results.get(t)!.push(await syncTwice(t))

for (const [t, runs] of results)
  for (const [i, label] of ['first sync, CPU', 'unchanged re-sync, CPU', 'first sync, wall', 'unchanged re-sync, wall'].entries()) {
    const xs = runs.map((r) => r[i])
    console.log(`${t.root} ${label}: median ${median(xs).toFixed(1)} µs/record (rounds ${xs.map((x) => x.toFixed(1)).join(', ')})`)
  }
