/**
 * An A/B probe for the generated mapping code (issue 16, target 2): a baseline generated module
 * (e.g. main's mappings.generated.js) against this tree's, both on this tree's runtime, and the
 * hand-written mappers, on the same captured pages, in interleaved rounds in one process. Each
 * sample is the process's own CPU time (user + system) for repeated passes after a full
 * collection; the medians and their ratios are printed with the machine's load.
 *
 *   git show main:src/engine/mapping/aot/mappings.generated.js > /tmp/baseline.generated.js
 *   npx tsx bench/probes/mapping-ab.ts --baseline=/tmp/baseline.generated.js [--connectors=neon] [--rounds=9]
 *
 * A baseline that calls runtime functions this tree no longer has runs on its own tree's runtime:
 * `mkdir /tmp/main && git archive main src | tar -x -C /tmp/main` and
 * `--runtime=/tmp/main/src/engine/mapping/aot/runtime.ts` (with node_modules linked beside src).
 * That copy is fresh, while this tree's runtime is the instance the in-process gateway used to
 * capture every connector's pages (its field readers have seen every mapping's shapes, as in
 * production): a baseline on its own copy is favoured, so compare on one runtime where it can.
 *
 * Not part of `npm run bench`; numbers are printed, never asserted.
 */
import { execSync } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import type { GeneratedMapping } from '../../src/engine/mapping/aot/mappings.generated'
import { MappingEngine, type MappingInput } from '../../src/engine/mapping/mapping-engine'
import { fileMappingSource } from '../../src/runtime/node/mapping-files'
import { asRecords, captureUserPages, collect } from '../figures/mapping'
import { handwrittenMappers, type HandMapper } from '../handwritten'
import { startInProcessGateway } from '../lib/in-process'
import { median } from '../lib/stats'

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
const baselinePath = arg('baseline')
if (!baselinePath) throw new Error('--baseline=<a generated module> is required')
const only = arg('connectors')?.split(',')
const rounds = Number(arg('rounds') ?? 9)
const THIS_RUNTIME = new URL('../../src/engine/mapping/aot/runtime.ts', import.meta.url).pathname
const SAMPLE_MS = 150
/** The first round, untimed: long enough for TurboFan (concurrent, slow on a loaded machine) to finish. */
const WARMUP_MS = 2000

/**
 * A copy of a generated module importing this tree's runtime (so only the generated code differs),
 * loaded fresh: the gateway's own engine (used to capture the pages) never ran its functions.
 */
async function loadModule(path: string, name: string, runtimePath = THIS_RUNTIME): Promise<Readonly<Record<string, GeneratedMapping>>> {
  const runtime = pathToFileURL(runtimePath).href
  const copy = `/tmp/mapping-ab-${name}-${process.pid}.mjs`
  writeFileSync(copy, readFileSync(path, 'utf8').replace("from './runtime'", `from ${JSON.stringify(runtime)}`))
  try {
    return ((await import(copy)) as { GENERATED_MAPPINGS: Record<string, GeneratedMapping> }).GENERATED_MAPPINGS
  } finally {
    rmSync(copy, { force: true })
  }
}

const cpuMs = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}
const load = () =>
  execSync('uptime')
    .toString()
    .trim()
    .replace(/.*load average: /, '')

const currentPath = new URL('../../src/engine/mapping/aot/mappings.generated.js', import.meta.url).pathname
const baseline = new MappingEngine(fileMappingSource(), undefined, await loadModule(baselinePath, 'baseline', arg('runtime')))
const current = new MappingEngine(fileMappingSource(), undefined, await loadModule(currentPath, 'current'))
const gateway = await startInProcessGateway(10_000)
try {
  const { captures } = await captureUserPages(gateway, 10_000)
  for (const cap of captures) {
    if (only && !only.includes(cap.connector)) continue
    const hand = handwrittenMappers[cap.connector] as HandMapper | undefined
    const passes: Record<string, (input: MappingInput) => Promise<unknown> | unknown> = {
      baseline: (input) => baseline.evaluate(cap.path, input),
      current: (input) => current.evaluate(cap.path, input),
      ...(process.argv.includes('--gateway')
        ? { gateway: (input: MappingInput) => gateway.services.engine.mappings.evaluate(cap.path, input) }
        : {}),
      ...(hand ? { hand } : {}),
    }
    for (const input of cap.pages) {
      const want = JSON.stringify(asRecords(await passes.baseline(input)))
      for (const [name, pass] of Object.entries(passes))
        if (JSON.stringify(asRecords(await pass(input))) !== want) throw new Error(`${cap.connector}: ${name} differs from baseline`)
    }
    const records = async (pass: (input: MappingInput) => unknown) => {
      let n = 0
      for (const input of cap.pages) n += asRecords(await pass(input)).length
      return n
    }
    const rates: Record<string, number[]> = Object.fromEntries(Object.keys(passes).map((k) => [k, []]))
    const wall: Record<string, number[]> = Object.fromEntries(Object.keys(passes).map((k) => [k, []]))
    const names = Object.keys(passes)
    for (let r = 0; r < rounds + 1; r++) {
      for (const name of r % 2 === 0 ? names : [...names].reverse()) {
        collect()
        const t0 = cpuMs()
        const w0 = performance.now()
        let n = 0
        while (cpuMs() - t0 < (r === 0 ? WARMUP_MS : SAMPLE_MS)) n += await records(passes[name])
        if (r === 0) continue // round 0 warms up
        rates[name].push((n / (cpuMs() - t0)) * 1000)
        wall[name].push((n / (performance.now() - w0)) * 1000)
      }
    }
    const m = Object.fromEntries(names.map((k) => [k, median(rates[k])]))
    // Each round's own ratio (its two samples taken back to back), then their median: less moved by load drift.
    const perRound = median(rates.current.map((c, i) => c / rates.baseline[i]))
    const vsHand = (k: string) => (m.hand ? ` (${(m.hand / m[k]).toFixed(2)}× hand)` : '')
    console.log(
      `${cap.connector}: baseline ${Math.round(m.baseline)}${vsHand('baseline')}, current ${Math.round(m.current)}${vsHand('current')}` +
        `${m.hand ? `, hand ${Math.round(m.hand)}` : ''} rec/CPU-s; current/baseline ${(m.current / m.baseline).toFixed(2)}× ` +
        `(median of rounds ${perRound.toFixed(2)}×) ` +
        `(wall ${(median(wall.current) / median(wall.baseline)).toFixed(2)}×${m.hand ? `, wall hand ratio ${(median(wall.hand) / median(wall.current)).toFixed(2)}×` : ''}); ` +
        `${m.gateway ? `gateway's engine ${Math.round(m.gateway)}; ` : ''}load ${load()}`,
    )
  }
} finally {
  await gateway.close()
}
