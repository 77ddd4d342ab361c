/**
 * Figure 5 — cold start: from spawning the gateway process (what `npm start` runs, without npm
 * itself) to its first 200 on `/health`, then on a first unified list (sandbox account, so the
 * list includes starting the simulators and the first vendor round trip). A fresh data directory
 * (migrations, sandbox accounts created) and a restart on an existing one, alternating.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { REPO_DIR, freePort, waitForExit } from '../lib/processes'
import { profileMarkdown, readProfileFrom, summarizeProfile } from '../lib/profile'
import { mdTable, type FigureResult } from '../lib/report'
import { authHeaders, gatewayEnv } from '../lib/stack'
import { fmt, median } from '../lib/stats'

export interface ColdStartOptions {
  runs: number
}

const START_TIMEOUT_MS = 60_000

interface Start {
  healthMs: number
  listMs: number
}

async function poll(url: string, t0: number, exited: () => string | undefined, headers: Record<string, string> = {}): Promise<number> {
  // Bounded: gives up after START_TIMEOUT_MS, or as soon as the process has exited.
  while (performance.now() - t0 < START_TIMEOUT_MS) {
    const gone = exited()
    if (gone !== undefined) throw new Error(`the gateway exited before ${url} answered 200: ${gone}`)
    try {
      const res = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) })
      await res.arrayBuffer()
      if (res.status === 200) return performance.now() - t0
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 2))
  }
  throw new Error(`${url} did not answer 200 within ${START_TIMEOUT_MS} ms`)
}

async function coldStart(dir: string, nodeArgs: string[] = []): Promise<Start> {
  const port = await freePort()
  const env = { ...process.env, ...gatewayEnv(dir, { PORT: String(port), UNIMETER_SANDBOX: 'on' }) }
  const base = `http://127.0.0.1:${port}`
  const t0 = performance.now()
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/runtime/node/main.ts'], {
    cwd: REPO_DIR,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-2000)))
  const exited = () =>
    child.exitCode !== null || child.signalCode !== null
      ? `exit ${child.exitCode ?? child.signalCode}; stderr: ${stderr.trim() || '(empty)'}`
      : undefined
  try {
    const healthMs = await poll(`${base}/health`, t0, exited)
    const listMs = await poll(
      `${base}/unified/usage-metering/users?integrated_account_id=sandbox-claude&limit=100`,
      t0,
      exited,
      authHeaders,
    )
    return { healthMs, listMs }
  } finally {
    child.kill('SIGTERM')
    await waitForExit(child)
  }
}

/** The floor: a bare `node` process (and one with the tsx loader) starting and exiting. */
async function bareNode(args: string[]): Promise<number> {
  const t0 = performance.now()
  const child = spawn(process.execPath, [...args, '-e', '0'], { cwd: REPO_DIR, stdio: 'ignore' })
  await waitForExit(child, 30_000)
  return performance.now() - t0
}

export async function coldStartFigure(o: ColdStartOptions): Promise<FigureResult> {
  const fresh: Start[] = []
  const restart: Start[] = []
  const bare: number[] = []
  const bareTsx: number[] = []
  for (let i = 0; i < o.runs; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'unimeter-bench-cold-'))
    try {
      fresh.push(await coldStart(dir))
      restart.push(await coldStart(dir))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    bare.push(await bareNode([]))
    bareTsx.push(await bareNode(['--import', 'tsx']))
  }
  // One more restart under `node --cpu-prof` (written when the process exits): where start-up goes.
  const dir = mkdtempSync(join(tmpdir(), 'unimeter-bench-cold-'))
  const profDir = join(dir, 'profile')
  let profile = ''
  let busyMs = 'n/a'
  try {
    await coldStart(dir)
    await coldStart(dir, ['--cpu-prof', `--cpu-prof-dir=${profDir}`])
    const summary = summarizeProfile(readProfileFrom(profDir))
    busyMs = fmt.int(summary.totalMs)
    profile = profileMarkdown(summary, 10, 10)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }

  const m = (list: Start[], k: keyof Start) => median(list.map((s) => s[k]))
  const rows: FigureResult['rows'] = [
    { metric: 'process start → first 200 on /health (restart)', target: '— (reported)', measured: fmt.ms(m(restart, 'healthMs'), 0) },
    { metric: 'process start → first 200 on a first list (restart)', target: '— (reported)', measured: fmt.ms(m(restart, 'listMs'), 0) },
    {
      metric: 'same, fresh data directory: /health, first list',
      target: '— (reported)',
      measured: `${fmt.ms(m(fresh, 'healthMs'), 0)}, ${fmt.ms(m(fresh, 'listMs'), 0)}`,
    },
  ]
  const details = `
\`node --import tsx src/runtime/node/main.ts\` (what \`npm start\` runs; npm's own start-up is left out)
spawned with a free port, the sandbox on and a SQLite file in a temporary directory; the bench polls
\`GET /health\` every 2 ms until a 200, then \`GET /unified/usage-metering/users?integrated_account_id=sandbox-claude&limit=100\`
until a 200. *Fresh*: a new data directory (migrations run, sandbox accounts created). *Restart*:
the same directory again. Reference in the same run: a bare \`node -e 0\` and \`node --import tsx -e 0\`
starting and exiting. Median of ${o.runs} starts each.

${mdTable(
  ['Start', '→ /health 200', '→ first list 200'],
  [
    ['fresh data directory', fmt.ms(m(fresh, 'healthMs'), 0), fmt.ms(m(fresh, 'listMs'), 0)],
    ['restart (existing data)', fmt.ms(m(restart, 'healthMs'), 0), fmt.ms(m(restart, 'listMs'), 0)],
    ['reference: `node -e 0` (start to exit)', fmt.ms(median(bare), 0), ''],
    ['reference: `node --import tsx -e 0`', fmt.ms(median(bareTsx), 0), ''],
  ],
)}

Most of the time to \`/health\` is loading and transpiling the TypeScript sources with tsx (the
difference between the two references is the loader alone) and importing the dependencies (Hono
with its OpenAPI layer, zod, drizzle, better-sqlite3, jsonata, undici); then SQLite is opened and
migrated, keys derived, and the sandbox's simulators started before the server listens. The first
list adds compiling the Claude mapping, the side loads and the first vendor round trip.

The profile below covers only the main thread, which was busy ${busyMs} ms over the process's whole
life; since Node 20 tsx's resolve/load hooks run on a loader thread of their own, so much of the
remaining wait before \`/health\` is the main thread waiting for modules to be resolved, read and
transpiled (\`handleMessage\`/\`postMessage\`, where they appear below, are that hand-off). What would move it: compiling
the sources ahead of time (a bundle started with plain \`node\`, no loader at run time); the
references above bound what the loader alone costs.

Profile of one restart (\`node --cpu-prof\`, the whole process life: start, \`/health\`, first
list, shutdown), self time:

${profile}
`
  return { id: '5', title: 'Cold start', rows, details }
}
