/**
 * A probe for issue 16, target 6: which objects a stream export promotes to V8's old generation
 * (what fills it up to a mark-compact and sets figure 3's peak), by allocation stack. A gateway
 * under tsx with ./promotion-meter.ts preloaded (so its RSS is not figure 3's); a first export
 * warms the code and the side-load cache, the second is sampled.
 *
 *   npx tsx bench/probes/stream-promotion.ts [--users=100000] [--top=30] [--depth=4] [--node-args="--trace-pretenuring"]
 *     [--snapshot=/tmp/mid.heapsnapshot --snapshot-after=3000]  (a heap snapshot during the export: not with the profile, it collects)
 *
 * Not part of `npm run bench`; numbers are printed, never asserted.
 */
import { loadavg } from 'node:os'
import { readStream } from '../figures/stream'
import { exchange } from '../lib/processes'
import { authHeaders, startGatewayProcess, withSimulator } from '../lib/stack'

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
const users = Number(arg('users') ?? 100_000)
const top = Number(arg('top') ?? 30)
const depth = Number(arg('depth') ?? 4)
const nodeArgs = arg('node-args')?.split(' ').filter(Boolean) ?? []
const METER = new URL('./promotion-meter.ts', import.meta.url).href

await withSimulator(
  'claude',
  users,
  async (sim) => {
    const gw = await startGatewayProcess('claude', sim, { nodeArgs: [...nodeArgs, '--expose-gc', '--import', 'tsx', '--import', METER] })
    try {
      const url = `${gw.url}/unified/usage-metering/users?integrated_account_id=${gw.accountId}&limit=100&truto_response_format=stream`
      await readStream(url, authHeaders)
      await exchange(gw.child.proc, { type: 'promo-start' }, 'promo-started', 120_000)
      const snapshot = arg('snapshot')
      const reading = readStream(url, authHeaders)
      if (snapshot) {
        await new Promise((r) => setTimeout(r, Number(arg('snapshot-after') ?? 3000)))
        console.log(await exchange(gw.child.proc, { type: 'snapshot', path: snapshot }, 'snapshot', 120_000))
      }
      const r = await reading
      const { top: sites } = await exchange<{ top: Array<{ where: string; bytes: number }> }>(
        gw.child.proc,
        { type: 'promo-stop', depth },
        'promo',
        120_000,
      )
      const total = sites.reduce((s, x) => s + x.bytes, 0)
      console.log(
        `load ${loadavg()[0].toFixed(2)}; ${r.records} records: ${(total / 1024 / 1024).toFixed(1)} MB outlived a scavenge (${(total / r.records).toFixed(0)} B/record)`,
      )
      for (const s of sites.slice(0, top)) console.log(`${String(Math.round(s.bytes / 1024)).padStart(7)} KB  ${s.where}`)
    } finally {
      await gw.stop()
    }
  },
  { invites: 'none' },
)
