/**
 * Figure 1 — the gateway against a hand-written gateway: for each vendor,
 * `GET /unified/usage-metering/users?limit=100` through the gateway, through the minimal
 * hand-written gateway of bench/reference (same simulator, same account, same answer), and the
 * vendor request behind the page sent straight to the simulator, all by the same load client at
 * the same concurrency. Rounds rotate which target goes first so all see the same machine;
 * ratios are taken per round, then the median.
 */
import { randomBytes } from 'node:crypto'
import { loadavg } from 'node:os'
import { REDACTED } from '../../src/lib/redactor'
import { runLoad, type LoadResult } from '../lib/load'
import { forkChild, type Child } from '../lib/processes'
import { profileChildDuring, profileMarkdown, summarizeProfile, type ProfileSummary } from '../lib/profile'
import { WORK_KINDS, workOf, type WorkKind } from '../lib/profile-work'
import { mdTable, type FigureResult } from '../lib/report'
import {
  authHeaders,
  BENCH_TOKEN,
  diffCounts,
  simulatorCounts,
  startGatewayProcess,
  startSimulatorProcess,
  type SimulatorInfo,
} from '../lib/stack'
import { fmt, median } from '../lib/stats'
import { referenceVendors } from '../reference/vendors'

export interface OverheadOptions {
  connectors: string[]
  users: number
  runs: number
  durationMs: number
  warmupMs: number
  concurrencies: number[]
  profile: boolean
}

const TARGET_THROUGHPUT = 0.9
const TARGET_LATENCY = 1.2

interface DirectRequest {
  url: string
  headers: Record<string, string>
}

type Mode = 'direct' | 'reference' | 'gateway'
const MODES: Mode[] = ['direct', 'reference', 'gateway']

/**
 * The vendor request behind one gateway page, from the gateway's own `debug` format: its URL and
 * headers (a header shown redacted is put back: the vendor's auth header as the reference writes
 * it, else the simulator's one credential in place of the redaction).
 */
async function directRequestFor(
  gatewayUrl: string,
  listPath: string,
  sim: SimulatorInfo,
  vendorAuth: Record<string, string>,
): Promise<{ direct: DirectRequest; vendorBody: unknown }> {
  const res = await fetch(`${gatewayUrl}${listPath}&truto_response_format=debug`, { headers: authHeaders })
  const body = (await res.json()) as { debug?: { requestUrl: string; requestOptions: { headers: Record<string, string> }; data: unknown } }
  if (res.status !== 200 || !body.debug) throw new Error(`debug request failed: ${res.status} ${JSON.stringify(body).slice(0, 300)}`)
  const secrets = Object.values(sim.credentials)
  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries(body.debug.requestOptions.headers)) {
    if (!v.includes(REDACTED)) headers[k] = v
    else if (vendorAuth[k] !== undefined) headers[k] = vendorAuth[k]
    else if (secrets.length === 1) headers[k] = v.split(REDACTED).join(secrets[0])
    else throw new Error(`cannot restore redacted header ${k}: the simulator has ${secrets.length} credentials`)
  }
  return { direct: { url: body.debug.requestUrl, headers }, vendorBody: body.debug.data }
}

/** The body of a list page without its cursor text (signed with another key by each gateway). */
async function pageWithoutCursor(url: string): Promise<string> {
  const res = await fetch(url, { headers: authHeaders })
  const text = await res.text()
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${text.slice(0, 300)}`)
  return text.replace(/"next_cursor":"[^"]*"/, '"next_cursor":"…"')
}

interface VendorRuns {
  connector: string
  runs: Record<number, Record<Mode, LoadResult[]>>
  vendorCalls: Record<number, { calls: Record<string, number>; requests: number }>
  profiles?: Record<'gateway' | 'reference', { summary: ProfileSummary; work: Record<WorkKind, number>; rps: number }>
}

async function measureVendor(connector: string, o: OverheadOptions): Promise<VendorRuns> {
  const sim = await startSimulatorProcess(connector, o.users)
  const children: Array<{ stop(): Promise<void> }> = [sim]
  try {
    const gw = await startGatewayProcess(connector, sim.info)
    children.push(gw)
    const reference: Child<{ url: string }> = await forkChild('reference', {
      connector,
      baseUrl: sim.info.baseUrl,
      credentials: sim.info.credentials,
      context: sim.info.context,
      accountId: gw.accountId,
      token: BENCH_TOKEN,
      cursorKey: randomBytes(32).toString('base64'),
    })
    children.push(reference)
    const listPath = `/unified/usage-metering/users?integrated_account_id=${gw.accountId}&limit=100`
    const { direct, vendorBody } = await directRequestFor(
      gw.url,
      listPath,
      sim.info,
      referenceVendors[connector].authHeaders(sim.info.credentials),
    )
    // The same page: the direct request must return exactly what the gateway received, and the
    // reference must answer what the gateway answers (test/bench/reference-gateway.test.ts walks
    // every page; this checks the very page measured).
    const check = await fetch(direct.url, { headers: direct.headers })
    if (check.status !== 200 || JSON.stringify(await check.json()) !== JSON.stringify(vendorBody)) {
      throw new Error(`direct request ${direct.url} does not return the gateway's vendor page (status ${check.status})`)
    }
    if ((await pageWithoutCursor(`${reference.info.url}${listPath}`)) !== (await pageWithoutCursor(`${gw.url}${listPath}`))) {
      throw new Error(`the ${connector} reference gateway does not answer the gateway's page`)
    }
    const targets: Record<Mode, { url: string; headers: Record<string, string> }> = {
      direct,
      reference: { url: `${reference.info.url}${listPath}`, headers: authHeaders },
      gateway: { url: `${gw.url}${listPath}`, headers: authHeaders },
    }

    const out: VendorRuns = { connector, runs: {}, vendorCalls: {} }
    for (const c of o.concurrencies) {
      const runs = (out.runs[c] = { direct: [], reference: [], gateway: [] } as Record<Mode, LoadResult[]>)
      const seen = (out.vendorCalls[c] = { calls: {} as Record<string, number>, requests: 0 })
      for (let round = 0; round < o.runs; round++) {
        const order = MODES.map((_, i) => MODES[(i + round) % MODES.length])
        for (const mode of order) {
          const before = mode === 'gateway' ? await simulatorCounts(sim.info) : {}
          runs[mode].push(await runLoad({ ...targets[mode], concurrency: c, durationMs: o.durationMs, warmupMs: o.warmupMs }))
          if (mode !== 'gateway') continue
          const calls = diffCounts(await simulatorCounts(sim.info), before)
          for (const [k, v] of Object.entries(calls)) seen.calls[k] = (seen.calls[k] ?? 0) + v
          // Warm-up requests reach the vendor too; count them by the vendor's own page calls.
          seen.requests += calls[`GET ${new URL(direct.url).pathname}`] ?? 0
        }
      }
    }
    if (o.profile) {
      const c = Math.max(...o.concurrencies)
      const profileOf = async (child: Child<{ url: string }>, mode: 'gateway' | 'reference') => {
        const { result, profile } = await profileChildDuring(child.proc, () =>
          runLoad({ ...targets[mode], concurrency: c, durationMs: o.durationMs, warmupMs: 0 }),
        )
        return { summary: summarizeProfile(profile), work: workOf(profile), rps: result.rps }
      }
      out.profiles = { gateway: await profileOf(gw.child, 'gateway'), reference: await profileOf(reference, 'reference') }
    }
    return out
  } finally {
    for (const child of children.reverse()) await child.stop()
  }
}

const medianOf = (runs: LoadResult[], key: 'rps' | 'p50' | 'p99') => median(runs.map((r) => r[key]))

function vendorSection(v: VendorRuns, o: OverheadOptions): { rows: FigureResult['rows']; details: string } {
  const rows: FigureResult['rows'] = []
  const table: Array<Array<string | number>> = []
  for (const c of o.concurrencies) {
    const r = v.runs[c]
    const ratio = median(r.gateway.map((g, i) => g.rps / r.reference[i].rps))
    const addedGateway = median(r.gateway.map((g, i) => g.p50 - r.direct[i].p50))
    const addedReference = median(r.reference.map((x, i) => x.p50 - r.direct[i].p50))
    const latencyRatio = median(r.gateway.map((g, i) => (g.p50 - r.direct[i].p50) / (r.reference[i].p50 - r.direct[i].p50)))
    for (const mode of MODES) {
      const note =
        mode === 'reference'
          ? `p50 +${fmt.ms(addedReference)} over direct`
          : mode === 'gateway'
            ? `${fmt.pct(ratio)} of the reference's req/s; p50 +${fmt.ms(addedGateway)} over direct (${fmt.x(latencyRatio)} the reference's)`
            : ''
      table.push([
        c,
        mode === 'direct' ? 'direct (simulator)' : mode,
        fmt.int(medianOf(r[mode], 'rps')),
        fmt.ms(medianOf(r[mode], 'p50')),
        fmt.ms(medianOf(r[mode], 'p99')),
        note,
      ])
    }
    rows.push({
      metric: `${v.connector}: throughput, concurrency ${c} (gateway ÷ reference)`,
      target: `≥ ${fmt.pct(TARGET_THROUGHPUT)}`,
      measured: `${fmt.pct(ratio)} (${fmt.int(medianOf(r.gateway, 'rps'))} vs ${fmt.int(medianOf(r.reference, 'rps'))} req/s)`,
      met: ratio >= TARGET_THROUGHPUT,
    })
    if (c === Math.min(...o.concurrencies))
      rows.push({
        metric: `${v.connector}: p50 added latency over direct, concurrency ${c} (gateway ÷ reference)`,
        target: `≤ ${TARGET_LATENCY}×`,
        measured: `${fmt.x(latencyRatio)} (+${fmt.ms(addedGateway)} vs +${fmt.ms(addedReference)})`,
        met: latencyRatio <= TARGET_LATENCY,
      })
  }
  const calls = o.concurrencies.map((c) => {
    const { calls: seen, requests } = v.vendorCalls[c]
    const perRequest = Object.entries(seen)
      .map(([k, n]) => `\`${k}\` ${n.toLocaleString('en-US')} (${(n / Math.max(1, requests)).toFixed(4)} per gateway request)`)
      .join('; ')
    return `- concurrency ${c}: ${requests.toLocaleString('en-US')} gateway requests (warm-up included) made these vendor calls: ${perRequest}`
  })
  return {
    rows,
    details: `### ${v.connector}

${mdTable(['Concurrency', 'Target', 'req/s', 'p50', 'p99', 'Compared'], table)}

Vendor calls the simulator saw during the gateway runs (side loads are cached 30 s, so a list
costs one vendor call in steady state):

${calls.join('\n')}
${v.profiles ? profileSection(v, o) : ''}`,
  }
}

/** CPU per request of both, from their profiles at the highest concurrency, and the gateway's top costs. */
function profileSection(v: VendorRuns, o: OverheadOptions): string {
  const c = Math.max(...o.concurrencies)
  const { gateway, reference } = v.profiles!
  const requests = (p: { rps: number }) => Math.max(1, p.rps * (o.durationMs / 1000))
  const perRequest = (p: { summary: ProfileSummary; rps: number }) => p.summary.totalMs / requests(p)
  const work = mdTable(
    ['Work (sampled ms per request)', 'gateway', 'reference', 'gateway − reference'],
    WORK_KINDS.map((k) => {
      const [g, r] = [gateway.work[k] / requests(gateway), reference.work[k] / requests(reference)]
      return [k, g.toFixed(3), r.toFixed(3), (g - r).toFixed(3)]
    }),
  )
  const top = gateway.summary.byFunction
    .filter((f) => f.name !== '(program)')
    .slice(0, 4)
    .map((f) => `\`${f.name}\` (${f.where}) ${fmt.pct(f.share)}`)
    .join(', ')
  return `
**What bounds it.** Both are CPU-bound at concurrency ${c}. Sampled CPU per request (a V8 CPU
profile — the data \`node --cpu-prof\` records — of each process over one ${fmt.int(o.durationMs / 1000)} s run; on a loaded
machine it includes time spent waiting for a core, so compare the two rather than the values):
gateway ≈ ${perRequest(gateway).toFixed(2)} ms (${fmt.int(gateway.rps)} req/s while profiled), reference ≈ ${perRequest(reference).toFixed(2)} ms
(${fmt.int(reference.rps)} req/s): the gateway spends ${fmt.x(perRequest(gateway) / perRequest(reference))} the reference's CPU on a request. Its largest
self-time costs: ${top}.

Both profiles split by the work each sample was doing (bench/lib/profile-work.ts: a sample counts
for its innermost frame that names a kind of work, so a native \`JSON.parse\` or \`writev\` counts
for whoever called it):

${work}

Profile of the gateway process:

${profileMarkdown(gateway.summary)}

Top of the reference's profile, for comparison: ${reference.summary.byArea
    .slice(0, 6)
    .map((a) => `${a.area} ${fmt.pct(a.share)}`)
    .join(', ')}.
`
}

export async function overheadFigure(o: OverheadOptions): Promise<FigureResult> {
  const rows: FigureResult['rows'] = []
  const sections: string[] = []
  // The machine is shared: its load says how far absolute numbers are from a quiet machine's.
  const loadBefore = loadavg()[0]
  for (const connector of o.connectors) {
    const section = vendorSection(await measureVendor(connector, o), o)
    rows.push(...section.rows)
    sections.push(section.details)
  }
  const loadAfter = loadavg()[0]
  const details = `
Three targets per vendor, measured by the same client: the gateway; the **reference**, a minimal
hand-written Node gateway for the same page (\`bench/reference\`: node:http, a bearer check, one
undici request to the same simulator with the same vendor auth, the hand-written mappers of
\`bench/handwritten\`, side loads cached 30 s as the gateway caches them, an HMAC-signed cursor,
\`JSON.stringify\` of the same envelope), checked before timing to answer the gateway's page byte
for byte (and, in \`test/bench/reference-gateway.test.ts\`, every page of a walk); and the vendor
request behind the page sent straight to the simulator (**direct**, from the gateway's
\`truto_response_format=debug\`, credential restored), for the latency each adds.

Client: one undici \`Pool\` per target with as many keep-alive connections as the concurrency, a
closed loop (each worker sends its next request when the previous body has been read), ${fmt.int(o.durationMs / 1000)} s
measured after ${fmt.int(o.warmupMs / 1000)} s of warm-up per run, ${o.runs} rounds per concurrency rotating which target
goes first. Ratios are computed per round, then the median is taken. Machine load (1-minute load
average) when the figure started and ended: ${loadBefore.toFixed(1)} and ${loadAfter.toFixed(1)}. Processes on loopback: this
client, the gateway (SQLite, sandbox off, the connector's base URL pointed at the simulator, the
account connected through \`POST /integrated-account\`), the reference, and the vendor's simulator
with ${fmt.int(o.users)} users. **Targets:** gateway ≥ ${fmt.pct(TARGET_THROUGHPUT)} of the reference's throughput for every vendor
at both concurrencies, and its p50 added latency over direct ≤ ${TARGET_LATENCY}× the reference's.

What the gateway does per request on top of the reference: the token check and the account read
(SQLite), AES-GCM opening of the credentials, the gateway's own rate limits, query validation,
request building from the connector's templates, retries and deadlines around the vendor call,
the JSONata mapping (compiled closures) instead of hand-written code, and the format's record
shaping.

${sections.join('\n')}`
  return { id: '1', title: 'Gateway vs a hand-written gateway', rows, details }
}
