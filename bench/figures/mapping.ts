/**
 * Figure 2 — mapping throughput: for every connector in connectors/index.ts with a users list,
 * the production mapping path (MappingEngine over the mapping files, one evaluation per vendor
 * page, with that page's real side loads) vs a hand-written TypeScript function, on the same
 * ~10,000 raw records captured from the gateway itself; stock jsonata on the same files alongside.
 */
import { Session } from 'node:inspector/promises'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import type { ListMethodSpec } from '../../src/engine/connector-types'
import {
  compileExpression,
  compileFast,
  evaluateExpression,
  evaluateFast,
  type MappingInput,
} from '../../src/engine/mapping/mapping-engine'
import { fileMappingSource } from '../../src/runtime/node/mapping-files'
import { getPath } from '../../src/lib/object-path'
import { handwrittenMappers, type HandMapper } from '../handwritten'
import { startInProcessGateway } from '../lib/in-process'
import { profileMarkdown, summarizeProfile, type CpuProfile, type ProfileSummary } from '../lib/profile'
import { mdTable, type FigureResult } from '../lib/report'
import { authHeaders } from '../lib/stack'
import { fmt, median } from '../lib/stats'

export interface MappingOptions {
  records: number
  runs: number
  profile: boolean
}

const RESOURCE = 'usage-metering/users'
const TARGET_RATIO = 1.5

/**
 * The same mapping with a side-load filter written as a JSONata predicate — how the Claude
 * mapping read before `$maxBy` took a `where` argument (Cursor's did too, but its sandbox activity
 * side load is empty) — measured on the same pages, to show what building the join table once per
 * side load (not once per page) is worth. A rewrite whose text is no longer in the file is skipped.
 */
const ABLATIONS: Array<{ connector: string; label: string; from: string; to: string }> = [
  {
    connector: 'claude',
    label: 'activity filter as a JSONata predicate (as before)',
    from: "$maxBy(sideload.activity, 'actor.email_address', 'date', { 'actor.type': 'user_actor' })",
    to: "$maxBy(sideload.activity[actor.type = 'user_actor'], 'actor.email_address', 'date')",
  },
]

export interface Captured {
  connector: string
  path: string
  pages: MappingInput[]
  rawRecords: number
  pageSize: number
  spec: ListMethodSpec
}

interface ConnectorResult {
  connector: string
  evaluator: string
  pages: number
  rawRecords: number
  records: number
  /** Production path (MappingEngine.evaluate). */
  prodRps: number
  /** The same file on stock jsonata's evaluate. */
  stockRps: number
  /** The same file on the closure compiler alone. */
  closuresRps: number
  handRps?: number
  /** How many times slower than hand-written the production path is. */
  ratio?: number
  /** Share of the production time spent on per-page work (side-load joins etc.), not per record. */
  perPageShare: number
  perPageMs: number
  perRecordUs: number
  mismatch?: string
  profile?: ProfileSummary
  ablation?: { label: string; rps: number; perPageMs: number; same: boolean }
}

/** The list engine's reading of a mapping result: a list of records. */
export function asRecords(mapped: unknown): unknown[] {
  if (mapped === undefined || mapped === null) return []
  return (Array.isArray(mapped) ? mapped : [mapped]).filter((r) => r !== null)
}

/** A copy of `obj` with the value at a dotted path replaced (path '' replaces the whole value). */
function withPath(obj: unknown, path: string, value: unknown): unknown {
  if (!path) return value
  const [head, ...rest] = path.split('.')
  const base = obj && typeof obj === 'object' ? (obj as Record<string, unknown>) : {}
  return { ...base, [head]: withPath(base[head], rest.join('.'), value) }
}

/** A full collection between timed passes, so no pass pays for the garbage of the one before. */
export const collect: () => void = (() => {
  setFlagsFromString('--expose-gc')
  return runInNewContext('gc') as () => void
})()

const MIN_SAMPLE_MS = 250

/** A pass run `reps` times in a row, as one sample; returns the records mapped in all. */
const repeated = (pass: () => Promise<number>, reps: number) => async () => {
  let n = 0
  for (let i = 0; i < reps; i++) n += await pass()
  return n
}

/** How many repetitions make a sample of about MIN_SAMPLE_MS (from one untimed pass). */
async function repsFor(pass: () => Promise<number>): Promise<number> {
  const { ms } = await timeIt(pass)
  return Math.max(1, Math.ceil(MIN_SAMPLE_MS / Math.max(0.05, ms)))
}

async function timeIt(fn: () => Promise<number> | number): Promise<{ ms: number; records: number }> {
  collect()
  const t0 = performance.now()
  const records = await fn()
  return { ms: performance.now() - t0, records }
}

export async function cpuProfile(fn: () => Promise<unknown>): Promise<CpuProfile> {
  const session = new Session()
  session.connect()
  try {
    await session.post('Profiler.enable')
    await session.post('Profiler.setSamplingInterval', { interval: 200 })
    await session.post('Profiler.start')
    await fn()
    return (await session.post('Profiler.stop')).profile as unknown as CpuProfile
  } finally {
    session.disconnect()
  }
}

/**
 * Lists every connector's users through the real gateway (stream format, the connector's default
 * page size) and keeps the input of each response-mapping evaluation, up to `records` raw records.
 */
export async function captureUserPages(
  gateway: Awaited<ReturnType<typeof startInProcessGateway>>,
  records: number,
): Promise<{ captures: Captured[]; skipped: string[] }> {
  const engine = gateway.services.engine.mappings
  const evaluate = engine.evaluate.bind(engine)
  const captures: Captured[] = []
  const skipped: string[] = []
  for (const mod of gateway.services.connectors.modules()) {
    const id = mod.definition.id
    const spec = mod.definition.resources[RESOURCE]?.list
    const accountId = gateway.sandbox?.accounts.get(id)
    if (!spec || !accountId) {
      skipped.push(`${id} (${!spec ? 'no users list' : 'no sandbox simulator'})`)
      continue
    }
    const path = `${RESOURCE}/${id}/${spec.mappings.response}`
    const cap: Captured = {
      connector: id,
      path,
      pages: [],
      rawRecords: 0,
      pageSize: Math.min(spec.pageSize.default, spec.pageSize.max),
      spec,
    }
    engine.evaluate = async (p, input) => {
      if (p === path && cap.rawRecords < records) {
        cap.pages.push(input)
        const raw = getPath(input.response, spec.recordsPath)
        cap.rawRecords += Array.isArray(raw) ? raw.length : raw ? 1 : 0
      }
      return evaluate(p, input)
    }
    try {
      const url = `${gateway.url}/unified/${RESOURCE}?integrated_account_id=${accountId}&limit=${cap.pageSize}&truto_response_format=stream`
      const res = await fetch(url, { headers: authHeaders })
      const text = await res.text()
      if (res.status !== 200 || text.includes('"error":{')) throw new Error(`${res.status} ${text.slice(0, 300)}`)
    } catch (err) {
      skipped.push(`${id} (listing failed: ${(err as Error).message})`)
      continue
    } finally {
      engine.evaluate = evaluate
    }
    console.log(`  ${id}: captured ${cap.pages.length} page(s), ${cap.rawRecords} raw records`)
    if (cap.pages.length === 0) skipped.push(`${id} (the list did not go through a response mapping)`)
    else captures.push(cap)
  }
  return { captures, skipped }
}

export async function mappingFigure(o: MappingOptions): Promise<FigureResult> {
  const gateway = await startInProcessGateway(o.records)
  const engine = gateway.services.engine.mappings
  const evaluate = engine.evaluate.bind(engine)
  try {
    const { captures, skipped } = await captureUserPages(gateway, o.records)
    const results: ConnectorResult[] = []
    for (const cap of captures) {
      const t0 = performance.now()
      const evaluator = (await engine.runsGeneratedCode(cap.path)) ? 'generated' : await engine.evaluator(cap.path)
      results.push(await measure(cap, handwrittenMappers[cap.connector], evaluate, evaluator, o))
      console.log(`  ${cap.connector}: measured in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
    }
    return report(results, skipped, o)
  } finally {
    await gateway.close()
  }
}

export async function measure(
  cap: Captured,
  hand: HandMapper | undefined,
  evaluate: (path: string, input: MappingInput) => Promise<unknown>,
  evaluator: string,
  o: MappingOptions,
): Promise<ConnectorResult> {
  const text = (await fileMappingSource().read(cap.path))!
  const stock = compileExpression(text, cap.path)
  const passOf =
    (map: (input: MappingInput) => Promise<unknown> | unknown, pages = cap.pages) =>
    async () => {
      let n = 0
      for (const input of pages) n += asRecords(await map(input)).length
      return n
    }
  const prodPass = passOf((input) => evaluate(cap.path, input))
  const stockPass = passOf((input) => evaluateExpression(stock, input))
  // The closure compiler alone: what ran before the generated code, and runs an edited file.
  const closures = { expr: stock, fast: compileFast(stock) }
  const closuresPass = passOf((input) => evaluateFast(closures, input, cap.path))
  const handPass = () => {
    let n = 0
    for (const input of cap.pages) n += hand!(input).length
    return n
  }

  // Same output first: a faster function that maps differently would prove nothing.
  let mismatch: string | undefined
  let records = 0
  for (const [i, input] of cap.pages.entries()) {
    const expected = asRecords(await evaluate(cap.path, input))
    records += expected.length
    const a = JSON.stringify(expected)
    const others: Array<[string, unknown[]]> = [
      ['stock jsonata', asRecords(await evaluateExpression(stock, input))],
      ['closures', asRecords(await evaluateFast(closures, input, cap.path))],
    ]
    if (hand) others.push(['hand-written', hand(input)])
    for (const [who, list] of others) {
      const b = JSON.stringify(list)
      if (mismatch || a === b) continue
      let at = 0
      while (at < a.length && a[at] === b[at]) at++
      mismatch = `page ${i + 1}: production …${a.slice(Math.max(0, at - 60), at + 60)}… vs ${who} …${b.slice(Math.max(0, at - 60), at + 60)}…`
    }
  }
  const useHand = hand && !mismatch

  // An untimed pass of each first (JIT; it also sizes the samples), then alternating order, so
  // drift on a shared machine falls on all three alike. A sample repeats a pass until it lasts
  // MIN_SAMPLE_MS, so scheduling noise is small against it.
  const passes = { prod: prodPass, stock: stockPass, closures: closuresPass, hand: async () => handPass() }
  const reps = {
    prod: await repsFor(prodPass),
    stock: await repsFor(stockPass),
    closures: await repsFor(closuresPass),
    hand: useHand ? await repsFor(passes.hand) : 0,
  }
  const rates = { prod: [] as number[], stock: [] as number[], closures: [] as number[], hand: [] as number[] }
  for (let run = 0; run < o.runs; run++) {
    const order: Array<keyof typeof rates> = run % 2 === 0 ? ['prod', 'closures', 'stock', 'hand'] : ['hand', 'stock', 'closures', 'prod']
    for (const which of order) {
      if (which === 'hand' && !useHand) continue
      const t = await timeIt(repeated(passes[which], reps[which]))
      rates[which].push((t.records / t.ms) * 1000)
    }
  }

  // Per-page cost: the same pages with their records taken out (side loads and all else kept).
  const emptied = cap.pages.map((input) => ({ ...input, response: withPath(input.response, cap.spec.recordsPath, []) }))
  const emptyPass = passOf((input) => evaluate(cap.path, input), emptied)
  const emptyReps = await repsFor(emptyPass)
  const fixedMs: number[] = []
  for (let run = 0; run < o.runs; run++) fixedMs.push((await timeIt(repeated(emptyPass, emptyReps))).ms / emptyReps)

  const prodRps = median(rates.prod)
  const prodMs = (records / prodRps) * 1000
  const perPageMs = median(fixedMs) / cap.pages.length
  const perPageTotal = Math.min(prodMs, perPageMs * cap.pages.length)
  const handRps = useHand ? median(rates.hand) : undefined
  return {
    connector: cap.connector,
    evaluator,
    pages: cap.pages.length,
    rawRecords: cap.rawRecords,
    records,
    prodRps,
    stockRps: median(rates.stock),
    closuresRps: median(rates.closures),
    handRps,
    ratio: handRps ? handRps / prodRps : undefined,
    perPageShare: perPageTotal / prodMs,
    perPageMs,
    perRecordUs: ((prodMs - perPageTotal) / Math.max(1, records)) * 1000,
    mismatch,
    profile: o.profile ? summarizeProfile(await cpuProfile(prodPass)) : undefined,
    ablation: await measureAblation(cap, text, o, prodPass),
  }
}

/** The rewritten (earlier) form of a mapping, evaluated the production way, against the file as it is. */
async function measureAblation(
  cap: Captured,
  text: string,
  o: MappingOptions,
  current: () => Promise<number>,
): Promise<ConnectorResult['ablation']> {
  const rewrite = ABLATIONS.find((a) => a.connector === cap.connector)
  if (!rewrite || !text.includes(rewrite.from)) return undefined
  const file = `${cap.path} (rewritten)`
  const expr = compileExpression(text.split(rewrite.from).join(rewrite.to), file)
  const before = { expr, fast: compileFast(expr) }
  const pass = async (pages: MappingInput[]) => {
    let n = 0
    for (const input of pages) n += asRecords(await evaluateFast(before, input, file)).length
    return n
  }
  const shipped = compileExpression(text, cap.path)
  let same = true
  for (const input of cap.pages) {
    if (
      JSON.stringify(asRecords(await evaluateFast(before, input, file))) !==
      JSON.stringify(asRecords(await evaluateExpression(shipped, input)))
    )
      same = false
  }
  const full = () => pass(cap.pages)
  const reps = await repsFor(full)
  const rates: number[] = []
  for (let run = 0; run < o.runs; run++) {
    const t = await timeIt(repeated(full, reps))
    rates.push((t.records / t.ms) * 1000)
    await current() // alternate with the shipped mapping, as the other runs do
  }
  const emptied = cap.pages.map((input) => ({ ...input, response: withPath(input.response, cap.spec.recordsPath, []) }))
  const fixed = await timeIt(() => pass(emptied))
  return { label: rewrite.label, rps: median(rates), perPageMs: fixed.ms / cap.pages.length, same }
}

const topOf = (p: ProfileSummary, n = 3) =>
  p.byArea
    .slice(0, n)
    .map((a) => `${a.area} ${(a.share * 100).toFixed(0)}%`)
    .join(', ')

function report(results: ConnectorResult[], skipped: string[], o: MappingOptions): FigureResult {
  const rows: FigureResult['rows'] = results.map((r) => ({
    metric: `${r.connector}: production mapping vs hand-written`,
    target: `within ${TARGET_RATIO}× (long-term)`,
    measured:
      r.ratio !== undefined
        ? `${fmt.x(r.ratio)} slower (${fmt.int(r.prodRps)} vs ${fmt.int(r.handRps!)} records/s)`
        : `${fmt.int(r.prodRps)} records/s (${r.mismatch ? 'outputs differ' : 'no hand-written reference'})`,
    met: r.ratio !== undefined ? r.ratio <= TARGET_RATIO : undefined,
  }))
  const table = results.map((r) => [
    r.connector,
    r.evaluator,
    `${r.pages} × ${fmt.int(r.rawRecords / r.pages)}`,
    fmt.int(r.records),
    fmt.int(r.prodRps),
    fmt.int(r.closuresRps),
    fmt.int(r.stockRps),
    r.handRps ? fmt.int(r.handRps) : '—',
    r.ratio !== undefined ? fmt.x(r.ratio) : '—',
    r.handRps ? fmt.x(r.handRps / r.closuresRps) : '—',
    r.handRps ? fmt.x(r.handRps / r.stockRps) : '—',
    `${fmt.pct(r.perPageShare)} (${fmt.ms(r.perPageMs)} / page)`,
    `${r.perRecordUs.toFixed(1)} µs`,
  ])
  const ablations = results
    .filter((r) => r.ablation)
    .map(
      (r) =>
        `- **${r.connector}**, ${r.ablation!.label}: ${fmt.int(r.ablation!.rps)} records/s with ${fmt.ms(r.ablation!.perPageMs)} of per-page work, ` +
        `against ${fmt.int(r.prodRps)} records/s as shipped — ${fmt.x(r.prodRps / r.ablation!.rps)} faster now${r.ablation!.same ? ', with the same output on every page' : ' (**the outputs differ**)'}.`,
    )
  const missed = results.filter((r) => r.ratio !== undefined && r.ratio > TARGET_RATIO && r.profile)
  const onJsonata = results.filter((r) => r.evaluator === 'jsonata').map((r) => r.connector)
  const profiles = results
    .filter((r) => r.profile)
    .map((r) => `#### ${r.connector}\n\n${profileMarkdown(r.profile!, 6, 8)}`)
    .join('\n\n')
  const problems = results
    .filter((r) => r.mismatch)
    .map((r) => `- **${r.connector}: outputs differ**, so no ratio is claimed: ${r.mismatch}`)
  const details = `
Records: each connector's sandbox simulator with ${fmt.int(o.records)} users, listed through the in-process
gateway (\`truto_response_format=stream\`, \`limit\` = the connector's default page size); the input of
every response-mapping evaluation (\`response\`, \`query\`, \`rawQuery\`, \`context\`, \`headers\`,
\`sideload\`) was captured and replayed four ways. **Production** is \`MappingEngine.evaluate\` over
\`fileMappingSource()\`, as the gateway runs it: each file compiled once and evaluated once per vendor
page, on the JavaScript generated for it at build (\`src/engine/mapping/aot\`, *Evaluator* generated)
when the generator covers it, else on synchronous closures (\`src/engine/mapping/compiler\`), else on
jsonata's interpreter. **Closures** is the same file on the closure compiler alone (what ran before,
and what runs a file edited since the build). **Stock jsonata** is the same file on
jsonata's own \`evaluate\` (async at every step), for reference. **Hand-written** is a plain TypeScript
function per connector (\`bench/handwritten/\`). All three are checked to give byte-identical JSON on
every page before anything is timed. Throughput is mapped records per second of CPU spent mapping:
after an untimed warm-up pass, ${o.runs} samples each in alternating order, every sample repeating the pass
for at least ${MIN_SAMPLE_MS} ms after a full garbage collection; the median.

${mdTable(
  [
    'Connector',
    'Evaluator',
    'Vendor pages × raw records',
    'Unified records',
    'Production rec/s',
    'Closures rec/s',
    'Stock jsonata rec/s',
    'Hand-written rec/s',
    'Production slower by',
    'Closures slower by',
    'Stock slower by',
    'Per-page work (share, cost)',
    'Per record (production)',
  ],
  table,
)}
${problems.length ? `\n${problems.join('\n')}\n` : ''}${skipped.length ? `\nNot measured: ${skipped.join('; ')}.\n` : ''}${onJsonata.length ? `\nOn jsonata's interpreter (the compiler does not cover them): ${onJsonata.join(', ')}.\n` : ''}
*Per-page work* is the time of the same evaluations with the page's records removed (side loads,
bindings and joins kept): work done once per page whatever its size, such as building join tables
over side loads. *Per record* is the rest, divided by the records.

**What is in place.** Each file is compiled once and cached; a response mapping is evaluated once
per vendor page, never per record (\`src/engine/list-engine.ts\`), so there is no per-record promise
even on jsonata; the closures run synchronously with jsonata's semantics (a closure that throws is
re-run on jsonata, for its exact answer or error). Join tables over side loads are built once per
side load: \`$keyBy\`/\`$maxBy\` remember each table per array and arguments
(\`src/engine/mapping/functions.ts\`) — side loads are the same arrays on every page of a walk and for
30 s across requests — and \`$maxBy\`'s \`where\` argument filters without a JSONata predicate (which
would make a new array, and so a new table, on every page). Measured in this run on the same pages,
evaluated the production way, the mappings as they read before that change:

${ablations.join('\n') || '- (no rewrite applies to the current mapping files)'}
${
  missed.length
    ? `\n**Where the 3× goal is still missed**, the profile's top areas: ${missed.map((r) => `${r.connector} — ${topOf(r.profile!)}`).join('; ')}. The hand-written column is the ceiling (the same records and helper functions, no generic evaluator); the profiles below show where the closures spend the difference.\n`
    : ''
}
### Where the production mapping time goes

V8 CPU profiles (the data \`node --cpu-prof\` records) of one production pass per connector, self time:

${profiles}
`
  return { id: '2', title: 'Mapping throughput', rows, details }
}
