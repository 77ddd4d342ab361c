/**
 * A probe for issue 16, target 6: one stream export of N Claude users through a fresh precompiled
 * gateway process (the set-up of figure 3, bench/figures/stream.ts): seconds, records/s, the
 * gateway's own CPU time per record, RSS after start, peak RSS, and the live heap after a full GC
 * before and after.
 *
 *   npx tsx bench/probes/stream-memory.ts [--users=100000] [--rounds=1] [--variant="--max-semi-space-size=4"] [--variant="KEY=value" …]
 *
 * Each `--variant` is one gateway set-up: Node options (`--…`) and environment variables
 * (`KEY=value`); an empty one is the default. Rounds run every variant in turn, the order
 * alternating, so that variants compared side by side share the machine's load. Not part of
 * `npm run bench`; numbers are printed with the load, never asserted.
 */
import { loadavg } from 'node:os'
import { readStream } from '../figures/stream'
import { childHeap, cpuSecondsOf, memoryOf, sampleMemory } from '../lib/processes'
import { authHeaders, startGatewayProcess, withSimulator, type SimulatorInfo } from '../lib/stack'

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
const users = Number(arg('users') ?? 100_000)
const rounds = Number(arg('rounds') ?? 1)
const variants = process.argv.filter((a) => a.startsWith('--variant=')).map((a) => a.slice('--variant='.length))
if (variants.length === 0) variants.push(arg('node-args') ?? '')
const pageSize = 100

async function oneExport(sim: SimulatorInfo, variant: string): Promise<void> {
  const words = variant.split(' ').filter(Boolean)
  const nodeArgs = words.filter((w) => w.startsWith('--'))
  const env = Object.fromEntries(
    words.filter((w) => !w.startsWith('--')).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]),
  )
  const gw = await startGatewayProcess('claude', sim, { nodeArgs: [...nodeArgs, '--expose-gc'], env, precompiled: true })
  try {
    const startRss = memoryOf(gw.child.pid)?.rss ?? NaN
    const before = await childHeap(gw.child.proc)
    const sampler = sampleMemory(gw.child.pid)
    const cpu0 = cpuSecondsOf(gw.child.pid)
    const url = `${gw.url}/unified/usage-metering/users?integrated_account_id=${gw.accountId}&limit=${pageSize}&truto_response_format=stream`
    const r = await readStream(url, authHeaders)
    const cpu = cpuSecondsOf(gw.child.pid) - cpu0
    const { peak } = sampler.stop()
    const after = await childHeap(gw.child.proc)
    const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`
    const load = loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')
    console.log(
      `load ${load}; ${users} users [${variant || 'default'}]: ${r.seconds.toFixed(1)} s, ${Math.round(r.records / r.seconds)} records/s, ` +
        `gateway CPU ${((cpu * 1e6) / r.records).toFixed(1)} µs/record, RSS after start ${mb(startRss)}, peak ${mb(peak)}, ` +
        `live heap ${mb(before.heapUsed)} → ${mb(after.heapUsed)}`,
    )
  } finally {
    await gw.stop()
  }
}

await withSimulator(
  'claude',
  users,
  async (sim) => {
    for (let round = 0; round < rounds; round++) {
      for (const variant of round % 2 === 0 ? variants : [...variants].reverse()) await oneExport(sim, variant)
    }
  },
  { invites: 'none' },
)
