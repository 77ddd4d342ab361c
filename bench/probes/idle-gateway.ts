/**
 * What an idle gateway costs: the CPU time a gateway process uses per second while nothing calls
 * it (the scheduler's tick, the outbox and webhook pump's reads, timers), from /proc, for this
 * checkout and optionally another (`--base=<dir>`), both measured over the same windows, with the
 * load average printed beside each. `--profile` prints the top of a CPU profile of each
 * (`--profile-dir=<dir>` keeps them).
 *
 *   npx tsx bench/probes/idle-gateway.ts [--base=/tmp/main-tree] [--runs=5] [--seconds=10] [--profile]
 *
 * Not part of `npm run bench`; numbers are printed, never asserted.
 */
import { fork } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { waitForExit, REPO_DIR } from '../lib/processes'
import { profileChildDuring, profileMarkdown, summarizeProfile } from '../lib/profile'
import { gatewayEnv } from '../lib/stack'
import { median } from '../lib/stats'

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
const runs = Number(arg('runs') ?? 5)
const seconds = Number(arg('seconds') ?? 10)
const trees: Array<[string, string]> = [['this', REPO_DIR]]
if (arg('base')) trees.unshift(['base', resolve(arg('base')!)])

/** CPU time (user + system) a process has used, in ms (clock ticks of 10 ms). */
const cpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}
const load = () => loadavg()[0].toFixed(1)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function startGateway(tree: string) {
  const dir = mkdtempSync(join(tmpdir(), 'unimeter-idle-'))
  const proc = fork(join(tree, 'bench', 'children', 'gateway.ts'), ['{}'], {
    cwd: tree,
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...gatewayEnv(dir, { UNIMETER_SANDBOX: 'off' }) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  await new Promise<void>((ok, fail) => {
    proc.once('message', (msg: { type: string; error?: string }) => (msg.type === 'ready' ? ok() : fail(new Error(msg.error))))
    proc.once('exit', (code) => fail(new Error(`gateway exited (${code})`)))
  })
  const stop = async () => {
    proc.kill('SIGTERM')
    await waitForExit(proc)
    rmSync(dir, { recursive: true, force: true })
  }
  return { proc, stop }
}

const gateways = await Promise.all(trees.map(async ([name, tree]) => ({ name, ...(await startGateway(tree)) })))
try {
  // Start-up's own work (compilation, the first ticks) settles before anything is measured.
  await sleep(5_000)
  const perSecond = new Map<string, number[]>(trees.map(([name]) => [name, []]))
  for (let r = 0; r < runs; r++) {
    const before = gateways.map((g) => cpuMs(g.proc.pid!))
    const startLoad = load()
    await sleep(seconds * 1000)
    const line = gateways.map((g, i) => {
      const ms = (cpuMs(g.proc.pid!) - before[i]) / seconds
      perSecond.get(g.name)!.push(ms)
      return `${g.name} ${ms.toFixed(1)} ms/s`
    })
    console.log(`round ${r + 1} (load ${startLoad} → ${load()}): ${line.join(', ')}`)
  }
  for (const [name, values] of perSecond) console.log(`${name}: median ${median(values).toFixed(1)} ms of CPU per idle second`)
  if (process.argv.includes('--profile')) {
    for (const g of gateways) {
      const { profile } = await profileChildDuring(g.proc, () => sleep(seconds * 1000))
      const dir = arg('profile-dir')
      if (dir) writeFileSync(join(dir, `idle-${g.name}.cpuprofile`), JSON.stringify(profile))
      console.log(`\n${g.name}, idle ${seconds} s\n${profileMarkdown(summarizeProfile(profile, 15), 10, 15)}`)
    }
  }
} finally {
  await Promise.all(gateways.map((g) => g.stop()))
}
