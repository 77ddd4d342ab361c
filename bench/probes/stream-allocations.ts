/**
 * A probe for issue 16, target 6: the V8 heap bytes one stream export allocates per record, and
 * where (a sampling heap profile that counts collected objects too, by allocating function), in a
 * gateway under tsx with ./alloc-meter.ts preloaded (so its RSS is not figure 3's). A first export
 * warms the code and the side-load cache; the second is measured. What is allocated per record is
 * what the collector has to clear and, by the share that outlives a scavenge, what it promotes:
 * figure 3's peak follows it.
 *
 *   npx tsx bench/probes/stream-allocations.ts [--users=20000] [--top=25]
 *
 * Not part of `npm run bench`; numbers are printed, never asserted.
 */
import { loadavg } from 'node:os'
import { readStream } from '../figures/stream'
import { exchange } from '../lib/processes'
import { authHeaders, startGatewayProcess, withSimulator } from '../lib/stack'

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
const users = Number(arg('users') ?? 20_000)
const top = Number(arg('top') ?? 25)
const ALLOC_METER = new URL('./alloc-meter.ts', import.meta.url).href

await withSimulator(
  'claude',
  users,
  async (sim) => {
    // tsx first: the meter is TypeScript (startGatewayProcess adds its own --import tsx after these).
    const gw = await startGatewayProcess('claude', sim, { nodeArgs: ['--import', 'tsx', '--import', ALLOC_METER] })
    try {
      const url = `${gw.url}/unified/usage-metering/users?integrated_account_id=${gw.accountId}&limit=100&truto_response_format=stream`
      await readStream(url, authHeaders)
      await exchange(gw.child.proc, { type: 'alloc-sample-start' }, 'alloc-sample-started', 120_000)
      // The meter does not answer a start; IPC keeps the order, so it starts before the export.
      gw.child.proc.send({ type: 'alloc-start' })
      const r = await readStream(url, authHeaders)
      const { bytes } = await exchange<{ bytes: number }>(gw.child.proc, { type: 'alloc-stop' }, 'alloc', 120_000)
      const { top: sites } = await exchange<{ top: Array<{ where: string; bytes: number }> }>(
        gw.child.proc,
        { type: 'alloc-sample-stop' },
        'alloc-sample',
        120_000,
      )
      const sampled = sites.reduce((s, x) => s + x.bytes, 0)
      console.log(
        `load ${loadavg()[0].toFixed(2)}; ${r.records} records: ${Math.round(bytes / r.records)} B allocated per record ` +
          `(sampled: ${Math.round(sampled / r.records)} B/record), ${(r.bytes / r.records).toFixed(0)} B of NDJSON per record`,
      )
      for (const s of sites.slice(0, top)) console.log(`${String(Math.round(s.bytes / r.records)).padStart(6)} B/record  ${s.where}`)
    } finally {
      await gw.stop()
    }
  },
  { invites: 'none' },
)
