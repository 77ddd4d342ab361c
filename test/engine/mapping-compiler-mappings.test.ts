/**
 * Every mapping file under mappings/ must compile to closures and give stock jsonata's exact
 * output on real inputs: the connectors' own suites run here (their recorded fixtures, then the
 * conformance walks over each sandbox simulator with 0, 1, limit−1… users, every response format
 * and the vendor errors) while every input the MappingEngine evaluates is recorded; then each
 * recorded input, and fast-check damaged copies of them, go through both evaluators, and through
 * the generated code (src/engine/mapping/aot) the engine runs for these files.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { GENERATED_MAPPINGS } from '../../src/engine/mapping/aot/mappings.generated'
import { compileExpression } from '../../src/engine/mapping/mapping-engine'
import { compareGenerated } from './support/generated-code'
import { compare, compileBoth, recordMappingInputs } from './support/mapping-differential'
import { applyMutations, fieldNames, mutations } from './support/mutate-input'

const seen = recordMappingInputs()

// The connectors' suites, run in this file so the spy sees every mapping input they produce.
await import('../connectors/claude.test')
await import('../connectors/claude-analytics.test')
await import('../connectors/claude-doc-examples.test')
await import('../connectors/claude-usage.test')
await import('../connectors/claude-usage-reports.test')
await import('../connectors/cursor.test')
await import('../connectors/cursor-fixtures.test')
await import('../connectors/cursor-usage.test')
await import('../connectors/cursor-usage-fixtures.test')
await import('../connectors/github-copilot.test')
await import('../connectors/github-copilot-usage.test')
await import('../connectors/github-copilot-usage-fixtures.test')
await import('../connectors/limitly.test')
await import('../connectors/limitly-usage.test')
await import('../connectors/limitr.test')
await import('../connectors/limitr-fixtures.test')
await import('../connectors/limitr-usage.test')
await import('../connectors/neon.test')
await import('../connectors/neon-fixtures.test')
await import('../connectors/neon-usage.test')
await import('../connectors/neon-usage-fixtures.test')
await import('../connectors/openai-codex.test')
await import('../connectors/openai-codex-activity.test')
await import('../connectors/openai-codex-doc-examples.test')
await import('../connectors/openai-codex-usage.test')
await import('../connectors/org-workspace-fixtures.test')
await import('../connectors/org-workspace-simulators.test')

const ROOT = join(__dirname, '../../mappings')

function mappingFiles(dir = ROOT): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return mappingFiles(path)
    return name.endsWith('.jsonata') ? [relative(ROOT, path).split('\\').join('/')] : []
  })
}

const FILES = mappingFiles()

/** A copy of `value` where every array keeps only its first `n` items. */
function firstItems(value: unknown, n: number): unknown {
  if (Array.isArray(value)) return value.slice(0, n).map((item) => firstItems(item, n))
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, firstItems(item, n)]))
}

async function expectSame(text: string, input: unknown, both: ReturnType<typeof compileBoth>): Promise<void> {
  const { stock, compiled, engine } = await compare(text, input, both)
  expect(engine).toEqual(stock)
  if (compiled!.ok) expect(compiled).toEqual(stock)
}

/** $millis() / $daysAgo(): every evaluator must see the same clock. */
function fixedClock(): void {
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-03-04T05:06:07.089Z'))
  })
  afterAll(() => {
    vi.useRealTimers()
  })
}

describe("every mapping file: closures give stock jsonata's exact output", () => {
  fixedClock()

  it('finds the mapping files', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(10)
  })

  it.each(FILES)('%s compiles to closures (no fallback)', (file) => {
    expect(compileBoth(readFileSync(join(ROOT, file), 'utf8')).fast).toBeDefined()
  })

  // Some files have hundreds of recorded inputs, each run three ways: slow on a loaded machine.
  it.each(FILES)(
    '%s: same output on every input the connector suites produced',
    async (file) => {
      const text = readFileSync(join(ROOT, file), 'utf8')
      const inputs = seen.get(file) ?? []
      expect(inputs.length, `no recorded input for ${file}`).toBeGreaterThan(0)
      const both = compileBoth(text)
      let ranCompiled = 0
      for (const input of inputs) {
        const { stock, compiled, engine } = await compare(text, input, both)
        expect(engine).toEqual(stock)
        if (compiled!.ok) {
          ranCompiled++
          expect(compiled).toEqual(stock)
        }
      }
      // Real vendor data must not send the closures back to jsonata.
      expect(ranCompiled).toBe(inputs.length)
    },
    120_000,
  )

  it.each(FILES)('%s: same output on damaged copies of those inputs (fast-check)', async (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8')
    // Damage is about shapes: 40 recorded inputs with every list cut to its first 3 items (a
    // month of hourly Neon consumption per copy would only make 150 runs slow).
    const inputs = (seen.get(file) ?? []).slice(0, 40).map((input) => firstItems(input, 3))
    expect(inputs.length).toBeGreaterThan(0)
    const both = compileBoth(text)
    const names = fieldNames(text)
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: inputs.length - 1 }), mutations, async (pick, list) => {
        await expectSame(text, applyMutations(inputs[pick], list, names), both)
      }),
      { numRuns: 150 },
    )
  })
})

describe("every mapping file: generated code gives stock jsonata's exact output", () => {
  fixedClock()

  /** The generated module's code for `file` (the one the engine runs while the text matches). */
  const generatedFor = (file: string) => {
    const code = GENERATED_MAPPINGS[file]
    expect(code, `${file} has no generated code: run npm run generate:mappings`).toBeDefined()
    expect(code.text === readFileSync(join(ROOT, file), 'utf8'), `${file} changed since generation: run npm run generate:mappings`).toBe(
      true,
    )
    return code.evaluate
  }

  // Stock jsonata on a month of hourly Neon consumption is slow on a loaded machine.
  it.each(FILES)(
    '%s: same output on every input the connector suites produced',
    async (file) => {
      const text = readFileSync(join(ROOT, file), 'utf8')
      const generated = generatedFor(file)
      const expr = compileExpression(text)
      const inputs = seen.get(file) ?? []
      expect(inputs.length, `no recorded input for ${file}`).toBeGreaterThan(0)
      for (const input of inputs) {
        const result = await compareGenerated(text, input, generated, undefined, expr)
        // Real vendor data must not send the generated code back to jsonata.
        expect(result.generated).toEqual(result.stock)
      }
    },
    120_000,
  )

  it.each(FILES)(
    '%s: same output on damaged copies of those inputs (fast-check)',
    async (file) => {
      const text = readFileSync(join(ROOT, file), 'utf8')
      const generated = generatedFor(file)
      const expr = compileExpression(text)
      const inputs = (seen.get(file) ?? []).slice(0, 40).map((input) => firstItems(input, 3))
      expect(inputs.length).toBeGreaterThan(0)
      const names = fieldNames(text)
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: inputs.length - 1 }), mutations, async (pick, list) => {
          const result = await compareGenerated(text, applyMutations(inputs[pick], list, names), generated, undefined, expr)
          // Stepping aside (a throw) sends the engine to jsonata; an answer must be jsonata's.
          if (result.generated.ok) expect(result.generated).toEqual(result.stock)
        }),
        { numRuns: 150 },
      )
    },
    120_000,
  )
})
