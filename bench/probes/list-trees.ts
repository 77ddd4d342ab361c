/**
 * A before/after probe for the live list path (issue 16, targets 3 and 4): the same
 * `GET /unified/usage-metering/users?limit=100` against two gateways at once, one built from this
 * checkout and one from another checkout of the repository (`--base=<dir>`, e.g. a worktree of
 * main), both calling the same simulator. Rounds alternate which gateway goes first; it prints
 * medians, and per round the ratios of req/s and of gateway CPU time per request (from /proc,
 * steadier than req/s on a shared machine) and of V8 heap bytes allocated per request (./alloc-meter.ts),
 * then their medians. `--profile` also records a CPU profile
 * of each gateway at the highest concurrency and prints its top.
 *
 *   npx tsx bench/probes/list-trees.ts --base=/tmp/main-tree [--connectors=claude,cursor] [--runs=5] [--profile] [--allocations]
 *
 * `--profile-dir=<dir>` keeps each CPU profile there (open it in Chrome's DevTools).
 * `--allocations`: a sampling heap profile of each gateway at the highest concurrency, bytes per
 * request by allocating function.
 *
 * `--node-args="…"` and `--base-node-args="…"` start either gateway with Node options (with
 * `--base=.`, the same checkout under two sets of V8 flags).
 *
 * Not part of `npm run bench` (which measures one checkout); numbers are printed, never asserted.
 */
import { fork } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { baseUrlOverrideKey } from '../../src/config/settings'
import { runLoad, type LoadResult } from '../lib/load'
import { waitForExit, REPO_DIR } from '../lib/processes'
import { profileChildDuring, profileMarkdown, summarizeProfile } from '../lib/profile'
import { workOf } from '../lib/profile-work'
import { authHeaders, gatewayEnv, startSimulatorProcess, type SimulatorInfo } from '../lib/stack'
import { fmt, median } from '../lib/stats'

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
const baseDir = arg('base')
if (!baseDir) throw new Error('--base=<dir of the other checkout> is required')
const connectors = (arg('connectors') ?? 'claude,openai-codex,cursor').split(',')
const runs = Number(arg('runs') ?? 5)
const durationMs = Number(arg('duration-ms') ?? 3_000)
const warmupMs = Number(arg('warmup-ms') ?? 1_000)
const concurrencies = (arg('concurrency') ?? '1,32').split(',').map(Number)
const users = Number(arg('users') ?? 1_000)
const nodeArgs = { this: arg('node-args')?.split(' ').filter(Boolean) ?? [], base: arg('base-node-args')?.split(' ').filter(Boolean) ?? [] }

/**
 * CPU time (user + system) a process has used, in ms, from /proc: per request it is what a
 * gateway costs whatever else the shared machine runs, which req/s alone is not.
 */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS
}
const CLOCK_TICKS = 100

const ALLOC_METER = new URL('./alloc-meter.ts', import.meta.url).href

/** The next IPC message of `type` from a child. */
function messageOf<M extends { type: string }>(proc: ReturnType<typeof fork>, type: string): Promise<M> {
  return new Promise((ok) => {
    const onMessage = (msg: M) => {
      if (msg.type !== type) return
      proc.off('message', onMessage)
      ok(msg)
    }
    proc.on('message', onMessage)
  })
}

/** A sampling heap profile of a child while `work` ran: bytes by allocating function (./alloc-meter.ts). */
async function allocationSampleDuring(proc: ReturnType<typeof fork>, work: () => Promise<unknown>) {
  const started = messageOf(proc, 'alloc-sample-started')
  proc.send({ type: 'alloc-sample-start' })
  await started
  await work()
  const sample = messageOf<{ type: string; top: Array<{ where: string; bytes: number }> }>(proc, 'alloc-sample')
  proc.send({ type: 'alloc-sample-stop' })
  return (await sample).top
}

/** Bytes a child allocated on its V8 heap while `work` ran (./alloc-meter.ts). */
async function allocatedDuring<T>(proc: ReturnType<typeof fork>, work: () => Promise<T>): Promise<{ result: T; bytes: number }> {
  proc.send({ type: 'alloc-start' })
  const result = await work()
  const stopped = messageOf<{ type: string; bytes: number }>(proc, 'alloc')
  proc.send({ type: 'alloc-stop' })
  return { result, bytes: (await stopped).bytes }
}

interface TreeGateway {
  name: string
  url: string
  listUrl: string
  proc: ReturnType<typeof fork>
  stop(): Promise<void>
}

/** The gateway of the checkout at `tree` (its own bench child and sources), with one account. */
async function startTreeGateway(name: 'base' | 'this', tree: string, connector: string, sim: SimulatorInfo): Promise<TreeGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'unimeter-probe-'))
  const env = gatewayEnv(dir, {
    UNIMETER_SANDBOX: 'off',
    UNIMETER_ALLOW_PRIVATE_URLS: 'true',
    [baseUrlOverrideKey(connector)]: sim.baseUrl,
  })
  const proc = fork(join(tree, 'bench', 'children', 'gateway.ts'), ['{}'], {
    cwd: tree,
    // The allocation meter comes from this checkout, so both trees are measured the same way.
    execArgv: [...nodeArgs[name], '--import', 'tsx', '--import', ALLOC_METER],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM')
    await waitForExit(proc)
    rmSync(dir, { recursive: true, force: true })
  }
  const url = await new Promise<string>((ok, fail) => {
    proc.once('message', (msg: { type: string; url?: string; error?: string }) =>
      msg.type === 'ready' && msg.url ? ok(msg.url) : fail(new Error(msg.error)),
    )
    proc.once('exit', (code) => fail(new Error(`${name} gateway exited (${code})`)))
  })
  const res = await fetch(`${url}/integrated-account`, {
    method: 'POST',
    headers: { ...authHeaders, 'content-type': 'application/json' },
    body: JSON.stringify({ integration: connector, context: { ...sim.context, ...sim.credentials } }),
  })
  const { id } = (await res.json()) as { id: string }
  return { name, url, listUrl: `${url}/unified/usage-metering/users?integrated_account_id=${id}&limit=100`, proc, stop }
}

async function probe(connector: string): Promise<void> {
  const sim = await startSimulatorProcess(connector, users)
  const gateways: TreeGateway[] = []
  try {
    gateways.push(await startTreeGateway('base', resolve(baseDir!), connector, sim.info))
    gateways.push(await startTreeGateway('this', REPO_DIR, connector, sim.info))
    // Both gateways must serve the same page, byte for byte (cursors are signed with the same key).
    const bodies = await Promise.all(gateways.map(async (g) => (await fetch(g.listUrl, { headers: authHeaders })).text()))
    const strip = (b: string) => b.replace(/"next_cursor":"[^"]*"/, '')
    if (strip(bodies[0]) !== strip(bodies[1])) throw new Error(`${connector}: the two gateways answer different results`)
    for (const c of concurrencies) {
      const results: Record<string, LoadResult[]> = { base: [], this: [] }
      const cpu: Record<string, number[]> = { base: [], this: [] }
      const alloc: Record<string, number[]> = { base: [], this: [] }
      const loadBefore = loadavg()[0]
      for (let round = 0; round < runs; round++) {
        const order = round % 2 === 0 ? gateways : [...gateways].reverse()
        for (const g of order) {
          const load = { url: g.listUrl, headers: authHeaders, concurrency: c }
          await runLoad({ ...load, durationMs: warmupMs, warmupMs: 0 })
          const before = cpuMs(g.proc.pid!)
          const { result: r, bytes } = await allocatedDuring(g.proc, () => runLoad({ ...load, durationMs, warmupMs: 0 }))
          results[g.name].push(r)
          cpu[g.name].push((cpuMs(g.proc.pid!) - before) / Math.max(1, r.requests))
          alloc[g.name].push(bytes / Math.max(1, r.requests))
        }
      }
      const ratio = median(results.this.map((r, i) => r.rps / results.base[i].rps))
      const cpuRatio = median(cpu.this.map((x, i) => x / cpu.base[i]))
      const allocRatio = median(alloc.this.map((x, i) => x / alloc.base[i]))
      const line = (name: string) =>
        `${fmt.int(median(results[name].map((r) => r.rps)))} req/s, p50 ${fmt.ms(median(results[name].map((r) => r.p50)))}, ` +
        `CPU ${median(cpu[name]).toFixed(2)} ms/req, ${fmt.int(median(alloc[name]) / 1024)} KiB/req`
      console.log(
        `${connector} c=${c} (load ${loadBefore.toFixed(1)} → ${loadavg()[0].toFixed(1)}): base ${line('base')} | this ${line('this')} | ` +
          `this ÷ base: req/s ${fmt.pct(ratio)}, CPU per request ${fmt.pct(cpuRatio)}, allocated per request ${fmt.pct(allocRatio)}`,
      )
    }
    if (process.argv.includes('--profile')) {
      const c = Math.max(...concurrencies)
      for (const g of gateways) {
        const { result, profile } = await profileChildDuring(g.proc, () =>
          runLoad({ url: g.listUrl, headers: authHeaders, concurrency: c, durationMs, warmupMs: 0 }),
        )
        const profileDir = arg('profile-dir')
        if (profileDir) writeFileSync(join(profileDir, `${connector}-${g.name}-c${c}.cpuprofile`), JSON.stringify(profile))
        const summary = summarizeProfile(profile, 15)
        const work = Object.entries(workOf(profile))
          .map(([kind, ms]) => `${kind} ${(ms / Math.max(1, result.requests)).toFixed(3)}`)
          .join(', ')
        console.log(`\n${connector} ${g.name}, c=${c}, ${fmt.int(result.rps)} req/s while profiled\n${profileMarkdown(summary, 10, 15)}\n`)
        console.log(`Sampled ms per request by kind of work (bench/lib/profile-work.ts): ${work}\n`)
      }
    }
    if (process.argv.includes('--allocations')) {
      const c = Math.max(...concurrencies)
      for (const g of gateways) {
        let requests = 0
        const top = await allocationSampleDuring(g.proc, async () => {
          requests = (await runLoad({ url: g.listUrl, headers: authHeaders, concurrency: c, durationMs, warmupMs: 0 })).requests
        })
        const total = top.reduce((n, t) => n + t.bytes, 0)
        console.log(
          `\n${connector} ${g.name}, c=${c}: sampled ${fmt.int(total / Math.max(1, requests) / 1024)} KiB allocated per request; by function (self):`,
        )
        for (const t of top.slice(0, 25)) console.log(`  ${fmt.int(t.bytes / Math.max(1, requests) / 1024)} KiB  ${t.where}`)
      }
    }
  } finally {
    for (const g of gateways) await g.stop()
    await sim.stop()
  }
}

for (const connector of connectors) await probe(connector)
