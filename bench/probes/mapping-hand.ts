/**
 * A quick probe for figure 2 (issue 16, target 2): the figure's own measurement (production,
 * closures, stock jsonata and hand-written, interleaved, medians) for some connectors only, with
 * the machine's load, and with `--profile` the top functions of one production pass.
 *
 *   npx tsx bench/probes/mapping-hand.ts [--connectors=claude,cursor] [--runs=5] [--profile]
 *
 * Not part of `npm run bench`; numbers are printed, never asserted.
 */
import { execSync } from 'node:child_process'
import { captureUserPages, measure } from '../figures/mapping'
import { handwrittenMappers } from '../handwritten'
import { startInProcessGateway } from '../lib/in-process'
import { profileMarkdown } from '../lib/profile'

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
const only = arg('connectors')?.split(',')
const options = { records: 10_000, runs: Number(arg('runs') ?? 5), profile: process.argv.includes('--profile') }

const gateway = await startInProcessGateway(options.records)
try {
  const engine = gateway.services.engine.mappings
  const { captures } = await captureUserPages(gateway, options.records)
  for (const cap of captures) {
    if (only && !only.includes(cap.connector)) continue
    const r = await measure(cap, handwrittenMappers[cap.connector], engine.evaluate.bind(engine), 'generated', options)
    const load = execSync('uptime')
      .toString()
      .trim()
      .replace(/.*load average: /, '')
    const vs =
      r.ratio !== undefined
        ? `${r.ratio.toFixed(2)}× slower than hand-written (${Math.round(r.handRps!)} rec/s)`
        : r.mismatch
          ? `outputs differ: ${r.mismatch}`
          : 'no hand-written reference'
    console.log(`${cap.connector}: production ${Math.round(r.prodRps)} rec/s, ${vs}; closures ${Math.round(r.closuresRps)} (load ${load})`)
    if (r.profile) console.log(profileMarkdown(r.profile, 6, 14))
  }
} finally {
  await gateway.close()
}
