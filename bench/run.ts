/**
 * `npm run bench` — measures the gateway against its targets, each figure side by side with its
 * reference in the same run, prints a table and writes BENCHMARKS.md.
 *
 *   npm run bench                              every figure (about 15–20 minutes)
 *   npm run bench -- --quick                   fewer, shorter runs and smaller sizes; prints only
 *                                              (add --write to record it anyway)
 *   npm run bench -- --only=overhead,mapping   some figures: overhead, mapping, stream, sync, cold-start, usage
 *   npm run bench -- --only=usage --usage-users=100 --usage-days=30   the usage figure at another size
 *   npm run bench -- --only=sync --sync-sizes=1000000      other sizes (no time budget then)
 *   npm run bench -- --no-write                print only
 *   npm run bench -- --render                  measure nothing: re-render BENCHMARKS.md from the
 *                                              recorded results (after merging two branches' runs)
 *
 * Results are kept per figure in bench/results/figures.json and BENCHMARKS.md is rendered from
 * all of them, so a run of some figures updates their sections and leaves the others (each
 * section names the command and date it came from). Nothing is asserted: numbers are reported.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { coldStartFigure } from './figures/cold-start'
import { mappingFigure } from './figures/mapping'
import { overheadFigure } from './figures/overhead'
import { streamFigure } from './figures/stream'
import { syncFigure } from './figures/sync'
import { usageFigure } from './figures/usage'
import { machineInfo } from './lib/machine'
import { BENCH_DIR, REPO_DIR } from './lib/processes'
import { benchmarksMarkdown, consoleTable, type FigureResult, type StoredFigure } from './lib/report'

const FIGURES = ['overhead', 'mapping', 'stream', 'sync', 'cold-start', 'usage'] as const
type FigureName = (typeof FIGURES)[number]

const RESULTS_PATH = join(BENCH_DIR, 'results', 'figures.json')
const KEPT_NOTES = '<!-- notes kept by bench/run.ts -->'

function parseArgs(argv: string[]) {
  const value = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
  const sizes = (name: string) =>
    value(name)
      ?.split(',')
      .map((s) => Number(s.replace(/_/g, '')))
  const known = ['--quick', '--write', '--no-write', '--render']
  const valued = ['only', 'stream-sizes', 'sync-sizes', 'usage-users', 'usage-days']
  const unknown = argv.filter((a) => !known.includes(a) && !valued.some((v) => a.startsWith(`--${v}=`)))
  if (unknown.length > 0) throw new Error(`unknown option(s): ${unknown.join(' ')}`)
  const quick = argv.includes('--quick')
  const render = argv.includes('--render')
  const only = render ? [] : ((value('only')?.split(',') ?? [...FIGURES]) as FigureName[])
  for (const name of only) if (!FIGURES.includes(name)) throw new Error(`unknown figure "${name}"; known: ${FIGURES.join(', ')}`)
  for (const list of [sizes('stream-sizes'), sizes('sync-sizes'), sizes('usage-users'), sizes('usage-days')]) {
    if (list?.some((n) => !Number.isInteger(n) || n < 1))
      throw new Error('sizes must be positive whole numbers, e.g. --sync-sizes=100000,1000000')
  }
  return {
    quick,
    write: render || argv.includes('--write') || (!quick && !argv.includes('--no-write')),
    only,
    streamSizes: sizes('stream-sizes'),
    syncSizes: sizes('sync-sizes'),
    usageUsers: sizes('usage-users')?.[0],
    usageDays: sizes('usage-days')?.[0],
  }
}

const PREAMBLE = `Measured by \`npm run bench\` (\`bench/run.ts\`), on loopback against the vendor simulators.
Each figure is measured against its reference in the same run, on the same machine, with the
same client. Nothing here is asserted by the test suite: these are reported numbers. The machine
is shared and noisy (other work may run beside the benchmark), so values are medians of several
runs and every comparison is a ratio measured side by side.`

function loadStored(): Record<string, StoredFigure> {
  return existsSync(RESULTS_PATH) ? (JSON.parse(readFileSync(RESULTS_PATH, 'utf8')) as Record<string, StoredFigure>) : {}
}

async function main() {
  const args = parseArgs(process.argv.slice(2))
  const { quick } = args
  const runs = quick ? 3 : 5
  const machine = machineInfo()
  console.log(`unimeter benchmarks — ${machine.cores} cores, ${machine.cpu}, Node ${machine.node}${quick ? ' (quick)' : ''}\n`)

  const steps: Record<FigureName, () => Promise<FigureResult>> = {
    overhead: () =>
      overheadFigure({
        // Of the vendors bench/reference covers: Limitly's simulator enforces the vendor's 1,000
        // requests a minute (a load run gets 429s); Neon has not been measured under load yet.
        connectors: ['claude', 'openai-codex', 'cursor'],
        users: 1_000,
        runs,
        durationMs: quick ? 2_000 : 3_000,
        warmupMs: quick ? 500 : 1_000,
        concurrencies: [1, 32],
        profile: true,
      }),
    mapping: () => mappingFigure({ records: 10_000, runs, profile: true }),
    stream: () =>
      streamFigure({
        connector: 'claude',
        sizes: args.streamSizes ?? (quick ? [10_000, 100_000] : [100_000, 1_000_000]),
        runs: quick ? 1 : 3,
        pageSize: 100,
        // The young generation alone: what bounds the default's peak (BENCHMARKS.md, figure 3).
        heapFlags: ['--max-semi-space-size=4'],
        profile: true,
      }),
    sync: () =>
      syncFigure({
        connector: 'claude',
        sizes: args.syncSizes ?? (quick ? [10_000] : [100_000, 1_000_000]),
        runs: quick ? 1 : 3,
        pageSize: 1000,
        // The default sizes must fit the run's time; sizes asked for explicitly always run.
        budgetSeconds: args.syncSizes ? Infinity : quick ? 60 : 300,
        profile: true,
      }),
    'cold-start': () => coldStartFigure({ runs: quick ? 3 : 7 }),
    usage: () =>
      usageFigure({
        users: args.usageUsers ?? (quick ? 100 : 1_000),
        days: args.usageDays ?? (quick ? 10 : 90),
        rounds: quick ? 1 : 3,
      }),
  }

  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`
  const measured: FigureResult[] = []
  const failed: string[] = []
  for (const name of FIGURES) {
    if (!args.only.includes(name)) continue
    const t0 = performance.now()
    console.log(`▶ ${name}…`)
    try {
      measured.push(await steps[name]())
      console.log(`  done in ${((performance.now() - t0) / 1000).toFixed(0)} s`)
    } catch (err) {
      // One figure failing does not lose the others; its earlier recorded result is kept.
      console.error(`  ${name} failed: ${(err as Error).stack ?? String(err)}`)
      failed.push(name)
    }
  }

  console.log(`\n${consoleTable(measured)}\n`)
  if (failed.length > 0) {
    console.error(`failed: ${failed.join(', ')} (not recorded; BENCHMARKS.md keeps their earlier results)`)
    process.exitCode = 1
  }
  if (!args.write) return
  const stored = loadStored()
  for (const figure of measured) stored[figure.id] = { figure, command, machine, quick }
  mkdirSync(join(BENCH_DIR, 'results'), { recursive: true })
  writeFileSync(RESULTS_PATH, `${JSON.stringify(stored, null, 2)}\n`)
  const path = join(REPO_DIR, 'BENCHMARKS.md')
  // Notes from probes outside the figures (below KEPT_NOTES) survive a re-render.
  const previous = existsSync(path) ? readFileSync(path, 'utf8') : ''
  const kept = previous.includes(KEPT_NOTES) ? `\n${previous.slice(previous.indexOf(KEPT_NOTES))}` : ''
  writeFileSync(path, `${benchmarksMarkdown(Object.values(stored), PREAMBLE)}${kept}`)
  console.log(`wrote ${path} and ${RESULTS_PATH}`)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
