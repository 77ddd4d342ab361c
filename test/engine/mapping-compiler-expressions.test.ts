/**
 * The closure compiler construct by construct: each small expression, on inputs chosen for the
 * tricky parts of jsonata's semantics (singleton sequences, nested arrays, index predicates,
 * filters on non-arrays, undefined operands), must give stock jsonata's exact answer.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { INPUTS, TABLE } from './support/expression-table'
import { compare, compileBoth } from './support/mapping-differential'

describe("closure compiler: each construct gives jsonata's exact answer", () => {
  for (const [construct, expressions] of TABLE) {
    describe(construct, () => {
      it.each(expressions)('%s', async (text) => {
        const both = compileBoth(text)
        expect(both.fast, `${text} should compile`).toBeDefined()
        let ranCompiled = 0
        for (const input of INPUTS) {
          const { stock, compiled, engine } = await compare(text, input, both)
          const where = `${text} on ${JSON.stringify(input)}`
          expect(engine, where).toEqual(stock)
          if (compiled!.ok) {
            ranCompiled++
            expect(compiled, where).toEqual(stock)
          }
        }
        // Stepping aside is for errors and odd types, not the normal case.
        expect(ranCompiled).toBeGreaterThan(0)
      })
    })
  }
})

describe('closure compiler: number and value casting on arbitrary values (fast-check)', () => {
  const both = compileBoth('{ "s": $string(v), "c": v & "|" & w, "b": $boolean(v), "t": $type(v), "eq": v = w }')

  it('matches jsonata on doubles, integers and mixed values', async () => {
    const value = fc.oneof(
      fc.double(),
      fc.integer(),
      fc.string({ unit: 'grapheme', maxLength: 6 }),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.double(), { maxLength: 3 }),
    )
    await fc.assert(
      fc.asyncProperty(value, value, async (v, w) => {
        const { stock, engine } = await compare('', { v, w }, both)
        expect(engine).toEqual(stock)
      }),
      { numRuns: 300 },
    )
  })
})

describe('closure compiler: NaN and Infinity in string casts (jsonata D3001)', () => {
  const both = compileBoth('{ "s": $string(v), "c": v & "|" & w, "b": $boolean(v), "t": $type(v), "eq": v = w }')

  // [null, NaN] is the case the unseeded property once found; jsonata throws D3001 for a bare
  // NaN or ±Infinity and writes NaN nested in a value as null (Infinity nested: D1001).
  it.each([
    [null, Number.NaN],
    [Number.NaN, null],
    [Number.POSITIVE_INFINITY, 1],
    ['x', Number.NEGATIVE_INFINITY],
    [[Number.NaN], 1],
    [[1, Number.POSITIVE_INFINITY], 'x'],
    [{ a: Number.NaN }, 2],
  ])('v=%s, w=%s: the engine answers as jsonata does', async (v, w) => {
    const { stock, compiled, engine } = await compare('', { v, w }, both)
    expect(engine).toEqual(stock)
    // The closures either agree or step aside for jsonata; they never invent an answer.
    if (compiled!.ok) expect(compiled).toEqual(stock)
  })

  it.each(['$string(v)', 'v & "|"', '"|" & v'])("%s throws jsonata's D3001 for NaN and ±Infinity", async (text) => {
    const expr = compileBoth(text)
    for (const v of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const { stock, compiled, engine } = await compare(text, { v }, expr)
      expect(stock).toEqual({ ok: false, message: 'Attempting to invoke string function on Infinity or NaN' })
      expect(engine, `${text} with ${v}`).toEqual(stock)
      expect(compiled!.ok, `${text} with ${v}: compiled closures must step aside`).toBe(false)
    }
  })
})
