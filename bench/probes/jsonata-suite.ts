/**
 * jsonata's own test suite through the ahead-of-time generator (issue 16): every case whose
 * expression the generator accepts is evaluated by the generated code and by stock jsonata 2.2.2
 * on the case's data and bindings; an answer from the generated code must be jsonata's (JSON, and
 * `undefined` alike). A throw is stepping aside (the engine then asks jsonata), counted apart.
 * The suite is not in the npm package: point this at `test/test-suite` of a jsonata 2.2.2 checkout.
 *
 *   npx tsx bench/probes/jsonata-suite.ts <path to jsonata/test/test-suite>
 *
 * Exits non-zero on any generated answer that is not jsonata's.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import jsonata from 'jsonata'
import { instantiate } from '../../test/engine/support/generated-code'

interface Case {
  expr?: string
  'expr-file'?: string
  dataset?: string | null
  data?: unknown
  bindings?: Record<string, unknown>
}

const suite = process.argv[2]
if (!suite) throw new Error('usage: npx tsx bench/probes/jsonata-suite.ts <jsonata/test/test-suite>')
const datasets = new Map(
  readdirSync(join(suite, 'datasets')).map((f) => [f.replace('.json', ''), JSON.parse(readFileSync(join(suite, 'datasets', f), 'utf8'))]),
)

async function outcome(f: () => unknown): Promise<string> {
  try {
    const v = await f()
    return v === undefined ? 'undefined' : JSON.stringify(v)
  } catch (err) {
    return `error: ${(err as Error).message}`
  }
}

const counts = { cases: 0, parsed: 0, generated: 0, answered: 0, steppedAside: 0, differ: 0 }
const differ: string[] = []
for (const group of readdirSync(join(suite, 'groups')).sort()) {
  const dir = join(suite, 'groups', group)
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const raw = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Case | Case[]
    for (const [i, c] of (Array.isArray(raw) ? raw : [raw]).entries()) {
      counts.cases++
      const text = c.expr ?? (c['expr-file'] ? readFileSync(join(dir, c['expr-file']), 'utf8') : undefined)
      if (text === undefined) continue
      let expr: ReturnType<typeof jsonata>
      let generated: ReturnType<typeof instantiate>
      try {
        expr = jsonata(text)
        counts.parsed++
        generated = instantiate(text)
      } catch {
        continue
      }
      if (!generated) continue
      counts.generated++
      const data = 'data' in c ? c.data : c.dataset ? datasets.get(c.dataset) : undefined
      const mine = await outcome(() => generated(data, c.bindings))
      if (mine.startsWith('error: ')) {
        counts.steppedAside++
        continue
      }
      counts.answered++
      const stock = await outcome(() => expr.evaluate(data, c.bindings))
      if (stock !== mine) {
        counts.differ++
        differ.push(
          `${group}/${file}${Array.isArray(raw) ? `[${i}]` : ''}: ${text}\n  jsonata:   ${stock.slice(0, 200)}\n  generated: ${mine.slice(0, 200)}`,
        )
      }
    }
  }
}
console.log(JSON.stringify(counts))
for (const d of differ) console.log(d)
process.exitCode = counts.differ > 0 ? 1 : 0
