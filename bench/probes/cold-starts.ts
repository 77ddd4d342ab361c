/**
 * A probe for issue 16, target 6: cold starts of `node scripts/start.js` (restart on an existing
 * data directory, sandbox on), interleaved between checkouts, so a change is measured side by side
 * with what it replaces: time to the first 200 on /health and on a first sandbox list, and the
 * RSS just after /health answered. Each checkout's dist/ must be built already.
 *
 *   npx tsx bench/probes/cold-starts.ts [--runs=9] [--node-args="--cpu-prof"] <checkout dir>...
 *
 * Not part of `npm run bench`; numbers are printed with the load, never asserted.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, memoryOf, waitForExit } from '../lib/processes'
import { authHeaders, gatewayEnv } from '../lib/stack'
import { median } from '../lib/stats'

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
const runs = Number(arg('runs') ?? 9)
const nodeArgs = arg('node-args')?.split(' ').filter(Boolean) ?? []
const checkouts = process.argv.slice(2).filter((a) => !a.startsWith('--'))

async function poll(url: string, t0: number, headers: Record<string, string> = {}): Promise<number> {
  while (performance.now() - t0 < 60_000) {
    try {
      const res = await fetch(url, { headers })
      await res.arrayBuffer()
      if (res.status === 200) return performance.now() - t0
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 2))
  }
  throw new Error(`${url} did not answer 200 within 60 s`)
}

async function start(checkout: string, dir: string) {
  const port = await freePort()
  const env = { ...process.env, ...gatewayEnv(dir, { PORT: String(port), UNIMETER_SANDBOX: 'on' }) }
  const t0 = performance.now()
  const child = spawn(process.execPath, [...nodeArgs, 'scripts/start.js'], { cwd: checkout, env, stdio: 'ignore' })
  try {
    const base = `http://127.0.0.1:${port}`
    const healthMs = await poll(`${base}/health`, t0)
    const rssMb = (memoryOf(child.pid!)?.rss ?? NaN) / 1e6
    const listMs = await poll(`${base}/unified/usage-metering/users?integrated_account_id=sandbox-claude&limit=100`, t0, authHeaders)
    return { healthMs, listMs, rssMb }
  } finally {
    child.kill('SIGTERM')
    await waitForExit(child)
  }
}

const results = new Map(checkouts.map((c) => [c, [] as Awaited<ReturnType<typeof start>>[]]))
const dirs = new Map(checkouts.map((c) => [c, mkdtempSync(join(tmpdir(), 'unimeter-probe-cold-'))]))
try {
  for (const c of checkouts) await start(c, dirs.get(c)!) // the fresh start: creates the data
  for (let i = 0; i < runs; i++) for (const c of checkouts) results.get(c)!.push(await start(c, dirs.get(c)!))
} finally {
  for (const d of dirs.values()) rmSync(d, { recursive: true, force: true })
}
console.log(
  `load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}; median of ${runs} restarts each`,
)
for (const [c, list] of results) {
  const m = (k: 'healthMs' | 'listMs' | 'rssMb') => median(list.map((s) => s[k])).toFixed(0)
  console.log(`${c}: /health ${m('healthMs')} ms, first list ${m('listMs')} ms, RSS at /health ${m('rssMb')} MB`)
}
