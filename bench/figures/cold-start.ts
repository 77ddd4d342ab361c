/**
 * Figure 5 — cold start: from spawning the gateway process (what `npm start` runs, without npm
 * itself) to its first 200 on `/health`, then on a first unified list (sandbox account, so the
 * list includes starting the simulators and the first vendor round trip). A fresh data directory
 * (migrations, sandbox accounts created) and a restart on an existing one, alternating; each
 * precompiled (scripts/start.js, today's `npm start`) and through the tsx loader (before); and a
 * precompiled restart without V8's code cache (the first start after a build).
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildDist, builtEntry, DIST_DIR } from '../../scripts/build-dist.js'
import { REPO_DIR, freePort, waitForExit } from '../lib/processes'
import { profileMarkdown, readProfileFrom, summarizeProfile } from '../lib/profile'
import { mdTable, type FigureResult } from '../lib/report'
import { authHeaders, gatewayEnv } from '../lib/stack'
import { fmt, median } from '../lib/stats'

export interface ColdStartOptions {
  runs: number
}

const START_TIMEOUT_MS = 60_000
/** What `npm start` runs, and what it ran before the gateway was precompiled. */
const PRECOMPILED = ['scripts/start.js']
const TSX = ['--import', 'tsx', 'src/runtime/node/main.ts']
const TARGET_MS = 500

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

async function coldStart(dir: string, command: string[], nodeArgs: string[] = []): Promise<Start> {
  const port = await freePort()
  const env = { ...process.env, ...gatewayEnv(dir, { PORT: String(port), UNIMETER_SANDBOX: 'on' }) }
  const base = `http://127.0.0.1:${port}`
  const t0 = performance.now()
  const child = spawn(process.execPath, [...nodeArgs, ...command], {
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

/** Time to build the bundles from scratch (what the first start after a source change adds). */
async function buildOnce(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'unimeter-bench-build-'))
  try {
    const t0 = performance.now()
    await buildDist(dir)
    return performance.now() - t0
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export async function coldStartFigure(o: ColdStartOptions): Promise<FigureResult> {
  const fresh: Start[] = []
  const restart: Start[] = []
  const freshTsx: Start[] = []
  const restartTsx: Start[] = []
  const restartNoCache: Start[] = []
  const bare: number[] = []
  const bareTsx: number[] = []
  // The machine is shared: its load beside the run, reported with the numbers.
  const loadBefore = loadavg()[0]
  // The starts measured run an up-to-date build; building is measured on its own.
  await builtEntry('gateway')
  const buildMs = await buildOnce()
  for (let i = 0; i < o.runs; i++) {
    for (const [command, f, r] of [
      [PRECOMPILED, fresh, restart],
      [TSX, freshTsx, restartTsx],
    ] as const) {
      const dir = mkdtempSync(join(tmpdir(), 'unimeter-bench-cold-'))
      try {
        f.push(await coldStart(dir, command))
        r.push(await coldStart(dir, command))
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    }
    // Without the code cache scripts/run-bundle.js keeps (written again as that start exits).
    const uncachedDir = mkdtempSync(join(tmpdir(), 'unimeter-bench-cold-'))
    try {
      await coldStart(uncachedDir, PRECOMPILED)
      rmSync(join(DIST_DIR, '.code-cache'), { recursive: true, force: true })
      restartNoCache.push(await coldStart(uncachedDir, PRECOMPILED))
    } finally {
      rmSync(uncachedDir, { recursive: true, force: true })
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
    await coldStart(dir, PRECOMPILED)
    await coldStart(dir, PRECOMPILED, ['--cpu-prof', `--cpu-prof-dir=${profDir}`])
    const summary = summarizeProfile(readProfileFrom(profDir))
    busyMs = fmt.int(summary.totalMs)
    profile = profileMarkdown(summary, 10, 10)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }

  const loadAfter = loadavg()[0]
  const m = (list: Start[], k: keyof Start) => median(list.map((s) => s[k]))
  const rows: FigureResult['rows'] = [
    {
      metric: 'process start → first 200 on /health (restart)',
      target: `≤ ${TARGET_MS} ms`,
      measured: fmt.ms(m(restart, 'healthMs'), 0),
      met: m(restart, 'healthMs') <= TARGET_MS,
    },
    {
      metric: 'same through the tsx loader (before)',
      target: '— (reported)',
      measured: `${fmt.ms(m(restartTsx, 'healthMs'), 0)} (precompiled: ${fmt.x(m(restartTsx, 'healthMs') / m(restart, 'healthMs'))} faster)`,
    },
    { metric: 'process start → first 200 on a first list (restart)', target: '— (reported)', measured: fmt.ms(m(restart, 'listMs'), 0) },
    {
      metric: 'same, fresh data directory: /health, first list',
      target: '— (reported)',
      measured: `${fmt.ms(m(fresh, 'healthMs'), 0)}, ${fmt.ms(m(fresh, 'listMs'), 0)}`,
    },
  ]
  const details = `
\`node scripts/start.js\` (what \`npm start\` runs: the precompiled gateway, dist/gateway.js, after
checking its build stamp; npm's own start-up is left out) and, before, \`node --import tsx
src/runtime/node/main.ts\` (the TypeScript through the tsx loader, what \`npm start\` ran before and
\`npm run dev\` still runs), spawned with a free port, the sandbox on and a SQLite file in a temporary
directory; the bench polls \`GET /health\` every 2 ms until a 200, then
\`GET /unified/usage-metering/users?integrated_account_id=sandbox-claude&limit=100\` until a 200.
*Fresh*: a new data directory (migrations run, sandbox accounts created). *Restart*: the same
directory again. Both ways alternate within each round. Reference in the same run: a bare
\`node -e 0\` and \`node --import tsx -e 0\` starting and exiting. Median of ${o.runs} starts each. Load
average (1 min) of the machine at the start and end of the run: ${loadBefore.toFixed(2)}, ${loadAfter.toFixed(2)} (2 cores).

${mdTable(
  ['Start', '→ /health 200', '→ first list 200'],
  [
    ['precompiled, fresh data directory', fmt.ms(m(fresh, 'healthMs'), 0), fmt.ms(m(fresh, 'listMs'), 0)],
    ['precompiled, restart (existing data)', fmt.ms(m(restart, 'healthMs'), 0), fmt.ms(m(restart, 'listMs'), 0)],
    ['precompiled, restart without the code cache', fmt.ms(m(restartNoCache, 'healthMs'), 0), fmt.ms(m(restartNoCache, 'listMs'), 0)],
    ['before (tsx loader), fresh data directory', fmt.ms(m(freshTsx, 'healthMs'), 0), fmt.ms(m(freshTsx, 'listMs'), 0)],
    ['before (tsx loader), restart', fmt.ms(m(restartTsx, 'healthMs'), 0), fmt.ms(m(restartTsx, 'listMs'), 0)],
    ['reference: `node -e 0` (start to exit)', fmt.ms(median(bare), 0), ''],
    ['reference: `node --import tsx -e 0`', fmt.ms(median(bareTsx), 0), ''],
  ],
)}

The first start after a source changed (or on a checkout whose \`npm ci\` ran with
\`--ignore-scripts\`) builds first: building both bundles took ${fmt.ms(buildMs, 0)} in this run.

How the precompiled start gets there: the bundle is CommonJS run by scripts/run-bundle.js through
\`node:vm\` with V8's code cache (dist/.code-cache, one per build and set of Node options, written as a
start that found none exits), so a start neither parses the bundle's megabytes nor compiles the
functions start-up runs (the *without the code cache* row: the first start after a build); the
server listens before the sandbox's simulators start, \`/health\` answers from then on, and any
other request that arrives meanwhile waits until start-up has finished (so the *first list* column
still includes starting the simulators); the sync scheduler's every-second tick runs without a time
zone (croner's time-zone arithmetic loaded ICU's zone data, 60–90 ms).

What bounds \`/health\` now (the profile below): Node's own start (the first reference) and its
built-in modules loaded on first use (\`node:http\`, the \`Response\` class Hono answers with, which
loads Node's internal undici), running the bundle's top level (zod schemas and the OpenAPI routes
built from them, drizzle, undici), reading and checking the cached code (\`Script\`), loading
better-sqlite3's native addon and opening SQLite (migrations already applied on a restart),
checking the build stamp (a \`stat\` of every bundled source), and the garbage collections of a heap
growing from nothing. No single item is more than a tenth of it. The first list adds the
simulators, compiling the Claude mapping, the side loads and the first vendor round trip.

The profile below covers only the main thread of a precompiled restart, which was busy ${busyMs} ms
over the process's whole life; frames in the bundle are mapped back to their sources through its
source map.

Profile of one restart (\`node --cpu-prof\`, the whole process life: start, \`/health\`, first
list, shutdown), self time:

${profile}
`
  return { id: '5', title: 'Cold start', rows, details }
}
