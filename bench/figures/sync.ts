/**
 * Figure 4 — sync: a sync job copying every user of a large simulated organization into the
 * gateway's SQLite (`POST /sync-job`, `POST /sync-job/{id}/run`), then a second run over the
 * unchanged vendor data. Records/s from the run's own started_at/finished_at, and the gateway
 * process's peak RSS during each run.
 */
import { statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { memoryOf, sampleMemory } from '../lib/processes'
import { profileChildDuring, profileMarkdown, summarizeProfile, type ProfileSummary } from '../lib/profile'
import { mdTable, type FigureResult } from '../lib/report'
import { authHeaders, diffCounts, simulatorCounts, startGatewayProcess, withSimulator, type SimulatorInfo } from '../lib/stack'
import { preparedInsertLimit, type InsertLimit } from '../lib/sqlite-limit'
import { fmt, median } from '../lib/stats'

export interface SyncOptions {
  connector: string
  sizes: number[]
  runs: number
  /** `limit` of the job's resource: the vendor page size of the walk. */
  pageSize: number
  /** Profile one extra first sync of the smallest size in the gateway process. */
  profile: boolean
  /**
   * A larger size is skipped when, at the rate just measured, its runs would take longer than
   * this (the figure then says so, with the projected time).
   */
  budgetSeconds: number
}

const TARGET_RPS = 20_000
/** First sync as a share of SQLite's own prepared-insert rate for the same rows (bench/lib/sqlite-limit.ts). */
const TARGET_LIMIT_SHARE = 0.7
const TARGET_RESYNC_RPS = 40_000
const runsFor = (o: SyncOptions, size: number) => (size >= 1_000_000 ? 1 : o.runs)
const RSS_TARGET = 200 * 1024 * 1024
const RUN_TIMEOUT_MS = 40 * 60_000
const PROFILE_USERS = 10_000
/** The gateway as `npm start` runs it: precompiled (scripts/start.js), not TypeScript through tsx. */
const GATEWAY = { env: { UNIMETER_SYNC_SCHEDULER: 'off' }, precompiled: true }

interface RunView {
  id: string
  status: string
  started_at: string | null
  finished_at: string | null
  pages_fetched: number
  counts: { added: number; updated: number; deleted: number; unchanged: number }
  error: unknown
}

export interface SyncRun extends Record<string, number> {
  records: number
  seconds: number
  rps: number
  peakRss: number
  added: number
  unchanged: number
  pages: number
}

async function api<T>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, {
    ...init,
    headers: { ...authHeaders, 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
  })
  const body = (await res.json()) as T
  if (res.status >= 300) throw new Error(`${init.method ?? 'GET'} ${url} → ${res.status} ${JSON.stringify(body).slice(0, 300)}`)
  return body
}

/**
 * Resets the kernel's peak-RSS mark of `pid` (writing 5 to /proc/<pid>/clear_refs), so VmHWM
 * covers what follows; false where that is not allowed (the peak then includes what came before).
 */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5')
    return true
  } catch {
    return false
  }
}

async function runOnce(gatewayUrl: string, pid: number, jobId: string): Promise<{ run: SyncRun; peakReset: boolean }> {
  const peakReset = resetPeak(pid)
  const sampler = sampleMemory(pid)
  const { id } = await api<{ id: string }>(`${gatewayUrl}/sync-job/${jobId}/run`, { method: 'POST' })
  const t0 = performance.now()
  let view: RunView
  // Bounded: polls until the run ends or RUN_TIMEOUT_MS passes.
  for (;;) {
    view = await api<RunView>(`${gatewayUrl}/sync-job-run/${id}`)
    if (!['created', 'running'].includes(view.status)) break
    if (performance.now() - t0 > RUN_TIMEOUT_MS) throw new Error(`sync run ${id} did not finish within ${RUN_TIMEOUT_MS / 1000} s`)
    await new Promise((r) => setTimeout(r, 200))
  }
  const mem = sampler.stop()
  if (view.status !== 'succeeded') throw new Error(`sync run ${id} ended ${view.status}: ${JSON.stringify(view.error)}`)
  const seconds = (Date.parse(view.finished_at!) - Date.parse(view.started_at!)) / 1000
  const c = view.counts
  const records = c.added + c.updated + c.unchanged
  return {
    run: { records, seconds, rps: records / seconds, peakRss: mem.peak, added: c.added, unchanged: c.unchanged, pages: view.pages_fetched },
    peakReset,
  }
}

interface SizeResult {
  first: SyncRun[]
  again: SyncRun[]
  limit: InsertLimit[]
  dbBytes: number
  startRss: number
  vendorCalls: Record<string, number>
  peakReset: boolean
}

async function syncSize(o: SyncOptions, size: number, sim: SimulatorInfo): Promise<SizeResult> {
  const out: SizeResult = { first: [], again: [], limit: [], dbBytes: NaN, startRss: NaN, vendorCalls: {}, peakReset: true }
  for (let i = 0; i < runsFor(o, size); i++) {
    // A fresh gateway (and database) per repetition: each first sync starts from an empty copy.
    const gw = await startGatewayProcess(o.connector, sim, GATEWAY)
    try {
      out.startRss = memoryOf(gw.child.pid)?.rss ?? NaN
      const jobId = await createJob(gw.url, gw.accountId, o.pageSize)
      const before = await simulatorCounts(sim)
      const first = await runOnce(gw.url, gw.child.pid, jobId)
      // The unified users list holds the pending invites too: a few records more than the members.
      if (first.run.added < size) throw new Error(`first sync of ${size} users added ${first.run.added}`)
      out.vendorCalls = diffCounts(await simulatorCounts(sim), before)
      const again = await runOnce(gw.url, gw.child.pid, jobId)
      if (again.run.unchanged !== first.run.added)
        throw new Error(`re-sync of ${size} unchanged users reported ${JSON.stringify(again.run)}`)
      // Measured while the gateway idles, on the rows this very run stored.
      const limit = preparedInsertLimit(join(gw.dir, 'unimeter.db'), o.pageSize)
      if (limit.rows !== first.run.added) throw new Error(`the prepared-insert limit read ${limit.rows} rows, not ${first.run.added}`)
      out.first.push(first.run)
      out.again.push(again.run)
      out.limit.push(limit)
      out.peakReset &&= first.peakReset && again.peakReset
      out.dbBytes = ['unimeter.db', 'unimeter.db-wal'].reduce((sum, f) => {
        try {
          return sum + statSync(join(gw.dir, f)).size
        } catch {
          return sum
        }
      }, 0)
      console.log(
        `  ${fmt.int(size)} users: first ${first.run.seconds.toFixed(1)} s (${fmt.int(first.run.rps)}/s, peak ${fmt.mb(first.run.peakRss)}), unchanged ${again.run.seconds.toFixed(1)} s (${fmt.int(again.run.rps)}/s), SQLite prepared inserts ${fmt.int(limit.rps)}/s`,
      )
    } finally {
      await gw.stop()
    }
  }
  return out
}

const topAreas = (p: ProfileSummary) =>
  p.byArea
    .slice(0, 3)
    .map((a) => `${a.area} ${(a.share * 100).toFixed(0)}%`)
    .join(', ')

async function createJob(gatewayUrl: string, accountId: string, pageSize: number): Promise<string> {
  const body = {
    integrated_account_id: accountId,
    resources: [{ resource: 'usage-metering/users', method: 'list', query: { limit: pageSize } }],
  }
  return (await api<{ id: string }>(`${gatewayUrl}/sync-job`, { method: 'POST', body: JSON.stringify(body) })).id
}

/** One more first sync, CPU-profiled inside the gateway process. */
async function profileFirstSync(o: SyncOptions, sim: SimulatorInfo): Promise<{ summary: ProfileSummary; busyShare: number }> {
  const gw = await startGatewayProcess(o.connector, sim, GATEWAY)
  try {
    const jobId = await createJob(gw.url, gw.accountId, o.pageSize)
    const t0 = performance.now()
    const { profile } = await profileChildDuring(gw.child.proc, () => runOnce(gw.url, gw.child.pid, jobId))
    const summary = summarizeProfile(profile)
    return { summary, busyShare: summary.totalMs / (performance.now() - t0) }
  } finally {
    await gw.stop()
  }
}

export async function syncFigure(o: SyncOptions): Promise<FigureResult> {
  const results = new Map<number, SizeResult>()
  let profiled: { summary: ProfileSummary; busyShare: number } | undefined
  const skipped: string[] = []
  const sizes = [...o.sizes].sort((a, b) => a - b)
  for (const size of sizes) {
    const previous = [...results.entries()].pop()
    if (previous) {
      const [done, r] = previous
      const projected = (size / done) * (median(r.first.map((x) => x.seconds)) + median(r.again.map((x) => x.seconds))) * runsFor(o, size)
      if (projected > o.budgetSeconds) {
        skipped.push(
          `${fmt.int(size)} users was not run here: at the rates measured for ${fmt.int(done)} it would take about ${Math.round(projected / 60)} minutes ` +
            `(over this run's budget of ${Math.round(o.budgetSeconds / 60)}); measure it with \`npm run bench -- --only=sync --sync-sizes=${size}\``,
        )
        continue
      }
    }
    results.set(size, await withSimulator(o.connector, size, (sim) => syncSize(o, size, sim)))
  }
  const profileUsers = Math.min(PROFILE_USERS, sizes[0])
  if (o.profile) profiled = await withSimulator(o.connector, profileUsers, (sim) => profileFirstSync(o, sim))
  const profile = profiled?.summary
  const m = (list: SyncRun[], k: keyof SyncRun) => median(list.map((r) => r[k]))
  const measured = [...results.keys()]
  const largest = Math.max(...measured)
  const limitRps = (r: SizeResult) => median(r.limit.map((l) => l.rps))
  const share = (r: SizeResult) => m(r.first, 'rps') / limitRps(r)
  const rows: FigureResult['rows'] = measured.flatMap((s) => {
    const r = results.get(s)!
    return [
      {
        metric: `first sync, ${fmt.int(s)} users`,
        target: `≥ ${fmt.int(TARGET_RPS)} records/s`,
        measured: `${fmt.int(m(r.first, 'rps'))} records/s`,
        met: m(r.first, 'rps') >= TARGET_RPS,
      },
      {
        metric: `first sync ÷ SQLite's prepared inserts of the same rows, ${fmt.int(s)} users`,
        target: `≥ ${fmt.pct(TARGET_LIMIT_SHARE)}`,
        measured: `${fmt.pct(share(r))} (of ${fmt.int(limitRps(r))} rows/s)`,
        met: share(r) >= TARGET_LIMIT_SHARE,
      },
      {
        metric: `unchanged re-sync, ${fmt.int(s)} users`,
        target: `≥ ${fmt.int(TARGET_RESYNC_RPS)} records/s`,
        measured: `${fmt.int(m(r.again, 'rps'))} records/s`,
        met: m(r.again, 'rps') >= TARGET_RESYNC_RPS,
      },
    ]
  })
  const big = results.get(largest)!
  const worstPeak = Math.max(...measured.flatMap((s) => [m(results.get(s)!.first, 'peakRss'), m(results.get(s)!.again, 'peakRss')]))
  rows.push({
    metric: `peak RSS of the gateway during sync, ${fmt.int(largest)} users`,
    target: `< ${fmt.mb(RSS_TARGET)}`,
    measured: fmt.mb(worstPeak),
    met: worstPeak < RSS_TARGET,
  })

  for (const note of skipped)
    rows.push({ metric: note.split(':')[0], target: `≥ ${fmt.int(TARGET_RPS)} records/s`, measured: 'not run (time budget)' })
  const table = measured.flatMap((s) => {
    const r = results.get(s)!
    return [
      [
        fmt.int(s),
        'first sync',
        `${m(r.first, 'seconds').toFixed(1)} s`,
        fmt.int(m(r.first, 'rps')),
        fmt.int(m(r.first, 'pages')),
        fmt.mb(m(r.first, 'peakRss')),
        fmt.mb(r.dbBytes),
        `${fmt.int(limitRps(r))} (${fmt.pct(share(r))})`,
      ],
      [
        fmt.int(s),
        'unchanged re-sync',
        `${m(r.again, 'seconds').toFixed(1)} s`,
        fmt.int(m(r.again, 'rps')),
        fmt.int(m(r.again, 'pages')),
        fmt.mb(m(r.again, 'peakRss')),
        '',
        '',
      ],
    ]
  })
  const calls = Object.entries(big.vendorCalls)
    .map(([k, v]) => `\`${k}\` ${v.toLocaleString('en-US')}`)
    .join(', ')
  const allReset = [...results.values()].every((r) => r.peakReset)
  const details = `
A sync job on the ${o.connector} account (\`resources: [{resource: "usage-metering/users", method: "list",
query: {limit: ${o.pageSize}}}]\`, vendor pages of ${o.pageSize}, the vendor's largest) run twice through the API in a
gateway process of its own, precompiled as \`npm start\` runs it (sandbox off, scheduler off, SQLite file, simulator in another process):
first into an empty copy, then again over the same, unchanged vendor data (every record
\`unchanged\`, found by content hash). Records/s use the run's own \`started_at\`/\`finished_at\`; the
bench polls \`GET /sync-job-run/{id}\` every 200 ms. Peak RSS is the gateway's VmHWM${allReset ? ', reset before each run (`/proc/<pid>/clear_refs`)' : ' (could not be reset between runs here, so the re-sync peak includes the first sync)'}. ${o.runs} repetitions per size (one at 1,000,000 and above, where a run takes minutes), each on a fresh gateway and database; medians.

*SQLite limit*: the same run's \`sync_records\` rows inserted into a fresh database of the same schema and
pragmas through one cached prepared INSERT, a transaction per page of ${o.pageSize} (bench/lib/sqlite-limit.ts): what
SQLite alone does with these rows on this machine at that moment, and the first sync as a share of it.

${mdTable(['Users', 'Run', 'Time', 'Records/s', 'Vendor pages', 'Peak RSS', 'SQLite size', 'SQLite limit, rows/s (share)'], table)}

${skipped.length ? `${skipped.map((n) => `- ${n}.`).join('\n')}\n\n` : ''}Vendor calls of one first sync of ${fmt.int(largest)} users: ${calls}.
Peak RSS target (as for the stream export, < ${fmt.mb(RSS_TARGET)}): ${worstPeak < RSS_TARGET ? 'met' : 'not met'}.
${
  profile
    ? `\n**What bounds it.** The first sync stores every record (its unified JSON, remote data, content hash
and facets) through cached prepared upserts and queues a \`record:created\` event for each, all committed
page by page with the run's checkpoint (a page's events are one outbox row, naming their records); the
unchanged re-sync maps and hashes each record and marks it seen with one row of the page's keys
(\`sync_run_seen\`, not a rewrite of the record's ~1.5 KB row), which the end of the run's deletion
scan looks records up in through a temporary table (BENCHMARKS.md, target 5's sixth round). Peak RSS is V8's old generation growing to about four times the
gateway's live heap (~46 MB after a full GC) before it collects the pages' promoted garbage: the
growth factor at the default heap limit, not data kept per record.
During a profiled first sync of ${fmt.int(profileUsers)} users the gateway's main thread was busy ${fmt.pct(profiled!.busyShare)} of the time;
its top areas (below): ${topAreas(profile)}; its top functions: ${profile.byFunction
        .slice(0, 4)
        .map((f) => `\`${f.name}\` (${f.where}) ${fmt.pct(f.share)}`)
        .join(', ')}${
        profile.byFunction.slice(0, 4).some((f) => f.name === 'run' && f.where === 'V8 / native')
          ? " — `run` in V8 / native is better-sqlite3 executing statements, i.e. SQLite's own work"
          : ''
      }. Those are where a faster sync has to come from.
`
    : ''
}${profile ? `\nProfile of the gateway process during one first sync of ${fmt.int(profileUsers)} users (V8 CPU profile, self time):\n\n${profileMarkdown(profile)}\n` : ''}`
  return { id: '4', title: 'Sync into SQLite', rows, details }
}
