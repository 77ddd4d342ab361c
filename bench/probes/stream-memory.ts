/**
 * A probe for issue 16, target 6: one stream export of N Claude users through a fresh precompiled
 * gateway process (the set-up of figure 3, bench/figures/stream.ts): seconds, records/s, RSS after
 * start, peak RSS, and the live heap after a full GC before and after.
 *
 *   npx tsx bench/probes/stream-memory.ts [--users=100000] [--node-args="--max-semi-space-size=4"]
 *
 * Not part of `npm run bench`; numbers are printed with the load, never asserted.
 */
import { loadavg } from 'node:os'
import { readStream } from '../figures/stream'
import { childHeap, memoryOf, sampleMemory } from '../lib/processes'
import { authHeaders, startGatewayProcess, withSimulator } from '../lib/stack'

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
const users = Number(arg('users') ?? 100_000)
const nodeArgs = arg('node-args')?.split(' ').filter(Boolean) ?? []
const pageSize = 100

await withSimulator(
  'claude',
  users,
  async (sim) => {
    const gw = await startGatewayProcess('claude', sim, { nodeArgs: [...nodeArgs, '--expose-gc'], precompiled: true })
    try {
      const startRss = memoryOf(gw.child.pid)?.rss ?? NaN
      const before = await childHeap(gw.child.proc)
      const sampler = sampleMemory(gw.child.pid)
      const url = `${gw.url}/unified/usage-metering/users?integrated_account_id=${gw.accountId}&limit=${pageSize}&truto_response_format=stream`
      const r = await readStream(url, authHeaders)
      const { peak } = sampler.stop()
      const after = await childHeap(gw.child.proc)
      const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`
      console.log(
        `load ${loadavg()
          .map((l) => l.toFixed(2))
          .join(
            ' ',
          )}; ${users} users${nodeArgs.length ? ` (${nodeArgs.join(' ')})` : ''}: ${r.seconds.toFixed(1)} s, ${Math.round(r.records / r.seconds)} records/s, ` +
          `RSS after start ${mb(startRss)}, peak ${mb(peak)}, live heap ${mb(before.heapUsed)} → ${mb(after.heapUsed)}`,
      )
    } finally {
      await gw.stop()
    }
  },
  { invites: 'none' },
)
