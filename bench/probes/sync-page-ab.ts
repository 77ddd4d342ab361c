/**
 * A probe for issue 16, target 5: a sync page's own work — diffPage (split, serialize, hash,
 * compare) and the page's commit through the prepared writes into a real SQLite file — for two
 * source trees interleaved in one process (A, B, then B, A, …), as CPU and wall-clock time per record for a
 * first sync and an unchanged re-sync of N synthetic users shaped like Claude's mapped users, and
 * the end of the re-sync: the scan for records it did not list (every 100th user is left out of it),
 * through the tree's planDeletions — over its seen rows when the tree has src/sync/run-seen.ts. No
 * vendor, mapping or HTTP: what src/sync and SQLite cost, side by side, on a machine whose load
 * moves.
 *
 *   npx tsx bench/probes/sync-page-ab.ts <tree A> <tree B> [users=20000] [rounds=5]
 *
 * A tree is a checkout of this repository (a copy of main's, and this one). Not part of
 * `npm run bench`; numbers are printed, never asserted.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { GatewayServices } from '../../src/services'
import { cpuMs, median, syntheticUser } from '../lib/synthetic-users'

const [treeA, treeB] = [process.argv[2], process.argv[3]].map((t) => resolve(t ?? '.'))
const users = Number(process.argv[4] ?? 20_000)
const rounds = Number(process.argv[5] ?? 5)
const PAGE = 1000
/** Every this many users, one is left out of the re-sync: the scan has them to find. */
const GONE_EVERY = 100

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
  const deletions = (await import(join(root, 'src/sync/deletions.ts'))) as typeof import('../../src/sync/deletions')
  // Only a tree with seen rows has it.
  const runSeen = (await import(join(root, 'src/sync/run-seen.ts')).catch(() => undefined)) as
    typeof import('../../src/sync/run-seen') | undefined
  return { root, sqlite, prepared, atomic, pageWriter, digests, models, deletions, runSeen }
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
    const services = {
      db: opened.db,
      recordWrites: t.prepared.preparedRecordWrites(opened.sqlite),
      sha256Hex: t.digests.nodeSha256Hex,
    } as GatewayServices
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
        const listed = runId === 'run-1' ? records : records.filter((_, k) => (p * PAGE + k) % GONE_EVERY !== 0)
        const diff = await t.pageWriter.diffPage(services, scope, listed, new Date().toISOString())
        await atomic.run(diff.statements)
      }
      cpu.push(((cpuMs() - start) * 1000) / users)
      wall.push(((performance.now() - wallStart) * 1000) / users)
    }
    // The end of the re-sync: finding (not writing) what it did not list, as the runner does.
    const scope = { accountId: 'acc', jobId: 'job', runId: 'run-2', resource, resourceKey: 'usage-metering/users' }
    const start = cpuMs()
    const wallStart = performance.now()
    const seen = await t.runSeen?.collectSeenKeys(services, 'run-2', scope.resourceKey)
    const plan = await t.deletions.planDeletions(services, scope, users, false, new Date().toISOString(), undefined, seen)
    await seen?.release()
    const scanCpu = ((cpuMs() - start) * 1000) / users
    const scanWall = ((performance.now() - wallStart) * 1000) / users
    if (plan.deleted !== users / GONE_EVERY) throw new Error(`${t.root}: found ${plan.deleted} unlisted, not ${users / GONE_EVERY}`)
    return [...cpu, scanCpu, ...wall, scanWall]
  } finally {
    opened.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

const load1 = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
console.log(`load average at the start: ${load1()}`)
const trees = [await load(treeA), await load(treeB)]
const results = new Map<Tree, number[][]>(trees.map((t) => [t, []]))
for (let round = 0; round < rounds; round++)
  for (const t of round % 2 === 0 ? trees : [...trees].reverse()) results.get(t)!.push(await syncTwice(t))

for (const [t, runs] of results)
  for (const [i, label] of [
    'first sync, CPU',
    'unchanged re-sync, CPU',
    'end-of-run scan, CPU',
    'first sync, wall',
    'unchanged re-sync, wall',
    'end-of-run scan, wall',
  ].entries()) {
    const xs = runs.map((r) => r[i])
    console.log(`${t.root} ${label}: median ${median(xs).toFixed(1)} µs/record (rounds ${xs.map((x) => x.toFixed(1)).join(', ')})`)
  }
console.log(`load average at the end: ${load1()}`)
