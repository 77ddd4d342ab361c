/**
 * A micro-benchmark for issue 16: CPU time per record of the `unified` format's completion (every
 * schema field present, null when the mapping gave none), the per-record schema walk it used before
 * (test/support/complete-record-reference.ts) against the completer built once per schema
 * (src/formats/complete-record.ts). The records are Claude users as the list path has them after
 * the mapping (the simulator's users through the hand-written mapper, byte-identical to the
 * mapping file's output). Rounds alternate which side goes first; it prints the median of each.
 *
 *   npx tsx bench/probes/complete-records.ts [--records=1000] [--passes=200] [--rounds=7]
 *
 * Not part of `npm run bench`; numbers are printed, never asserted.
 */
import { ClaudeWorld } from '../../connectors/claude/simulator/data'
import { recordCompleter } from '../../src/formats/complete-record'
import { models } from '../../src/models'
import { referenceObject } from '../../test/support/complete-record-reference'
import { claudeUsers } from '../handwritten/claude'
import { median } from '../lib/stats'

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
const recordCount = Number(arg('records') ?? 1_000)
const passes = Number(arg('passes') ?? 200)
const rounds = Number(arg('rounds') ?? 7)

const users = models.get('usage-metering', 'users')
if (!users) throw new Error('usage-metering/users is not in the model registry')
const schema = users.schema

const world = new ClaudeWorld({ seed: 7, users: recordCount, domain: 'example.com', roleSet: 'console', orgName: 'Probe Org' })
const page = { data: Array.from({ length: recordCount }, (_, i) => world.user(i)) }
const records = claudeUsers({
  response: page,
  sideload: { organization: [{ id: world.orgId, name: 'Probe Org' }], activity: [] },
} as unknown as Parameters<typeof claudeUsers>[0])

type Complete = (record: Record<string, unknown>) => Record<string, unknown>
const sides: Array<{ name: string; complete: Complete }> = [
  { name: 'per-record walk (before)', complete: (r) => referenceObject(schema.shape as Record<string, never>, r) },
  { name: 'completer built once (after)', complete: recordCompleter(schema) },
]

// Both must answer the same bytes before either is timed.
const expected = JSON.stringify(records.map(sides[0].complete))
if (JSON.stringify(records.map(sides[1].complete)) !== expected) throw new Error('the two completions disagree on the probe records')

let sink = 0
/** CPU time (user + system) per record, in ns, over `passes` passes over the records. */
function timeSide(complete: Complete): number {
  const start = process.cpuUsage()
  for (let p = 0; p < passes; p++) for (const r of records) sink += complete(r) === r ? 0 : 1
  const used = process.cpuUsage(start)
  return ((used.user + used.system) * 1000) / (passes * records.length)
}

for (const side of sides) timeSide(side.complete) // warm-up: both sides optimized before any round counts
const samples = sides.map(() => [] as number[])
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? [0, 1] : [1, 0]
  for (const i of order) samples[i].push(timeSide(sides[i].complete))
}

console.log(`${records.length} Claude user records × ${passes} passes, ${rounds} interleaved rounds (sink ${sink > 0 ? 'ok' : 'empty'})`)
for (const [i, side] of sides.entries()) {
  console.log(
    `${side.name}: median ${median(samples[i]).toFixed(0)} ns/record  (rounds: ${samples[i].map((v) => v.toFixed(0)).join(', ')})`,
  )
}
const ratios = samples[0].map((before, i) => before / samples[1][i])
console.log(`before ÷ after, median of the rounds' ratios: ${median(ratios).toFixed(2)}×`)
