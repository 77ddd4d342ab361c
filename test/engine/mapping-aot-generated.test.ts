/**
 * The generated module in the repository is what the generator writes today from mappings/ (so a
 * changed mapping file, generator or runtime cannot ship stale code), and the engine runs a
 * file's generated code only while the file's text is the one it was generated from.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { GENERATED_MAPPINGS } from '../../src/engine/mapping/aot/mappings.generated'
import { GENERATED_MODULE_PATH, generatedModuleText } from '../../src/engine/mapping/aot/write-generated'
import { MappingEngine } from '../../src/engine/mapping/mapping-engine'
import { mappingSourceFromRecord } from '../../src/engine/mapping/mapping-source'
import { collectMappingFiles } from '../../src/runtime/workers/mapping-bundle'
import { instantiate } from './support/generated-code'

describe('generated mapping code', () => {
  it('is up to date with mappings/ and the generator (else: npm run generate:mappings)', () => {
    const current = readFileSync(GENERATED_MODULE_PATH, 'utf8')
    expect(
      current === generatedModuleText(),
      'src/engine/mapping/aot/mappings.generated.js is stale: run `npm run generate:mappings`',
    ).toBe(true)
  })

  it('covers every mapping file', () => {
    const files = Object.keys(collectMappingFiles()).filter((p) => p.endsWith('.jsonata'))
    expect(files.length).toBeGreaterThanOrEqual(10)
    expect(files.filter((p) => !GENERATED_MAPPINGS[p])).toEqual([])
  })

  it('runs for a file whose text is unchanged, and the closures run for an edited one', async () => {
    const path = 'usage-metering/users/claude/user.jsonata'
    const text = collectMappingFiles()[path]
    const edited = `${text}\n/* edited */`
    const engine = new MappingEngine(mappingSourceFromRecord({ [path]: text }))
    const editedEngine = new MappingEngine(mappingSourceFromRecord({ [path]: edited }))
    expect(await engine.runsGeneratedCode(path)).toBe(true)
    expect(await editedEngine.runsGeneratedCode(path)).toBe(false)
    expect(await editedEngine.evaluator(path)).toBe('closures')
    const input = {
      response: { data: [{ id: 'u1', name: 'Ada Lovelace', email: 'ada@example.com', role: 'user' }] },
      query: {},
      sideload: {},
    }
    expect(JSON.stringify(await engine.evaluate(path, input))).toBe(JSON.stringify(await editedEngine.evaluate(path, input)))
  })

  it('a generated evaluation that steps aside is answered by jsonata', async () => {
    // `$uppercase` of a number: the generated code steps aside and jsonata raises its own error.
    const engine = new MappingEngine(mappingSourceFromRecord({ 'x.jsonata': '$uppercase(n)' }), undefined, {
      'x.jsonata': { text: '$uppercase(n)', evaluate: instantiate('$uppercase(n)')! },
    })
    expect(await engine.runsGeneratedCode('x.jsonata')).toBe(true)
    await expect(engine.evaluate('x.jsonata', { n: 1 })).rejects.toThrow(/T0410|does not match|argument/)
  })
})
