/**
 * What the closure compiler does not cover stays jsonata's: an unsupported construct keeps the
 * whole file on stock jsonata, and a compiled evaluation that throws is re-run on jsonata so the
 * caller gets jsonata's exact error (message and position).
 */
import { describe, expect, it } from 'vitest'
import { createLogger } from '../../src/lib/logger'
import { compileExpression, evaluateExpression, MappingEngine, MappingError } from '../../src/engine/mapping/mapping-engine'
import { mappingSourceFromRecord } from '../../src/engine/mapping/mapping-source'
import { compare, compileBoth } from './support/mapping-differential'

const INPUT = {
  list: [
    { id: 'b', n: 2, kids: [{ id: 'k' }] },
    { id: 'a', n: 1 },
  ],
  a: 1,
  s: 'text',
}

describe('closure compiler: unsupported constructs fall back to jsonata', () => {
  const unsupported = [
    'list^(id).id', // sort
    '**.id', // descendants
    'list.*', // wildcard
    'list.kids.%.id', // parent
    'list@$l.$l.id', // focus binding
    'list#$i.{ "i": $i }', // index binding
    '$string(a) ~> $uppercase()', // apply and partial
    '$match(s, /x/)', // regex
    'list{ id: n }', // grouping on a path
    '$sort(list.id)', // a builtin not ported
    '$string(a, true)', // an arity not ported (prettify)
    '$string()', // context argument
    '$ ~> | list | { "x": 1 } |', // transform
    '[1..3]', // range
    '($string := 1; $string)', // shadowing a builtin
    '$f := $string', // a function used as a value
  ]

  it.each(unsupported)("%s is not compiled and still gives jsonata's answer", async (text) => {
    const both = compileBoth(text)
    expect(both.fast).toBeUndefined()
    const { stock, engine } = await compare(text, INPUT, both)
    expect(engine).toEqual(stock)
  })

  it('the engine says which files run on closures and which on jsonata, and answers alike', async () => {
    const lines: string[] = []
    const logger = createLogger('debug', (line) => lines.push(line))
    const engine = new MappingEngine(
      mappingSourceFromRecord({ 'fast.jsonata': 'list.{ "id": id }', 'slow.jsonata': 'list^(id).{ "id": id }' }),
      logger,
    )
    expect(await engine.evaluator('fast.jsonata')).toBe('closures')
    expect(await engine.evaluator('slow.jsonata')).toBe('jsonata')
    const logged = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'mapping compiled')
    expect(logged.map((l) => [l.file, l.evaluator])).toEqual([
      ['mappings/fast.jsonata', 'closures'],
      ['mappings/slow.jsonata', 'jsonata'],
    ])
    expect(await engine.evaluate('slow.jsonata', INPUT)).toEqual(await compileExpression('list^(id).{ "id": id }').evaluate(INPUT))
  })
})

describe("closure compiler: a throwing evaluation gives jsonata's exact error", () => {
  const throwing: Array<[string, unknown]> = [
    ['a + s', INPUT], // T2002 arithmetic on a string
    ['-s', INPUT], // D1002 negating a string
    ['s > a', INPUT], // T2009 comparing a string and a number
    ['list > 1', INPUT], // T2010 comparing an array
    ['{ "k": a, "k": s }', INPUT], // D1009 duplicate key
    ['{ a: 1 }', INPUT], // T1003 non-string key
    ['$lowercase(a)', INPUT], // T0410 wrong argument type
    ['$length(a)', INPUT], // T0410 wrong argument type
    ['$max(list)', INPUT], // T0412 array of the wrong type
    ['$number("12px")', INPUT], // D3030
    ['$daysAgo("3")', INPUT], // registered function signature <n:s>
    ['($f := 1; $f())', INPUT], // calling a non-function
  ]

  it.each(throwing)('%s', async (text, input) => {
    const both = compileBoth(text)
    expect(both.fast, `${text} should compile`).toBeDefined()
    const { stock, compiled, engine } = await compare(text, input, both)
    expect(stock.ok).toBe(false)
    expect(compiled!.ok).toBe(false)
    expect(engine).toEqual(stock)
    // Through the engine: the same MappingError (status, code, position, message) as jsonata alone.
    const mappings = new MappingEngine(mappingSourceFromRecord({ 'm.jsonata': text }))
    const viaEngine = await mappings.evaluate('m.jsonata', input as never).catch((e: unknown) => e)
    const viaJsonata = await evaluateExpression(compileExpression(text, 'mappings/m.jsonata'), input as never, 'mappings/m.jsonata').catch(
      (e: unknown) => e,
    )
    expect(viaEngine).toBeInstanceOf(MappingError)
    expect({ ...(viaEngine as MappingError), message: (viaEngine as Error).message }).toEqual({
      ...(viaJsonata as MappingError),
      message: (viaJsonata as Error).message,
    })
  })
})
