/**
 * The ahead-of-time generator construct by construct: each expression of the closure compiler's
 * table must be generated, and on every input its code must give stock jsonata's exact answer or
 * step aside (throw, so the engine asks jsonata); plus seeded fast-check properties on values.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { INPUTS, TABLE } from './support/expression-table'
import { compareGenerated, instantiate } from './support/generated-code'
import { compare, compileBoth } from './support/mapping-differential'

describe("generated code: each construct gives jsonata's exact answer", () => {
  for (const [construct, expressions] of TABLE) {
    describe(construct, () => {
      it.each(expressions)('%s', async (text) => {
        const generated = instantiate(text)
        expect(generated, `${text} should be generated`).toBeDefined()
        let ran = 0
        const both = compileBoth(text)
        for (const input of INPUTS) {
          const result = await compareGenerated(text, input, generated!)
          // Where the closures answer, the generated code answers too (it steps aside no more often).
          if ((await compare(text, input, both)).compiled?.ok) expect(result.generated.ok, `${text} on ${JSON.stringify(input)}`).toBe(true)
          if (result.generated.ok) {
            ran++
            expect(result.generated, `${text} on ${JSON.stringify(input)}`).toEqual(result.stock)
          }
        }
        expect(ran).toBeGreaterThan(0)
      })
    })
  }
})

describe('generated code: values of every type through each construct (fast-check)', () => {
  const EXPRESSIONS = [
    '{ "s": $string(v), "c": v & "|" & w, "b": $boolean(v), "t": $type(v), "eq": v = w }',
    'v.x',
    'v[0]',
    'v[x > 1].y',
    '[v, w]',
    'v.{ "x": x, "w": $$.w }',
    '($a := v; $b := w; $a ? $b : $count($a))',
    '$map(v, function($i) { $i.x })',
    'v ? w : v.z',
    '$exists(v) and $exists(w) or v',
  ]
  const value = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.double(),
      fc.integer(),
      fc.string({ maxLength: 4 }),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom('x', 'y', 'z'), tie('value'), { maxKeys: 3 }),
    ),
  })).value
  it.each(EXPRESSIONS)('%s matches jsonata or steps aside', async (text) => {
    const generated = instantiate(text)!
    await fc.assert(
      fc.asyncProperty(value, value, async (v, w) => {
        const result = await compareGenerated(text, { v, w }, generated)
        if (result.generated.ok) expect(result.generated).toEqual(result.stock)
      }),
      { numRuns: 300 },
    )
  })
})

describe("generated code: every shortcut's guard falls back to jsonata's value model (fast-check)", () => {
  // Field reads take a shortcut on plain objects whose value is not an array; `$f(x).b` reads
  // properties when its input is one value; registered functions are called without an argument
  // array. Each is fed what fails its guard: arrays (sequences), nulls, scalars, objects flagged as
  // jsonata functions, lambdas, missing keys, and top-level arrays.
  const EXPRESSIONS = [
    'v',
    'v.x',
    'v.x.y',
    'x.y.z',
    '$nameParts(v.x).first',
    '$lookup(v, "x").y',
    '($f := function($a) { $a }; $f(v).x.y)',
    '$toIso(v.x)',
    '$firstNonEmpty(v.x, w.y, v)',
    '$keyBy(v, "x", null, w)',
    '$firstNonEmpty(v.x, $nameParts(w).first)',
    'v.{ "a": x, "b": x.y }',
    // Calls of a lambda bound once in its block are written inline (no Lambda call, tail calls
    // made directly); the rest are real calls: reassigned, bound conditionally, recursive, shadowed.
    '($f := function($a) { $a.x }; $f(v))',
    '($f := function($a, $b) { $exists($a) ? $a : $b }; { "a": $f(v.x, w), "b": $f(w) })',
    '($f := function($a) { $string($a) }; [$f(v), $f(w)])',
    '($n := 1; $f := function($a) { $a.x[$n] }; $n := 0; $f(v))',
    '($x := v; $f := function() { $x }; $x := w; $f())',
    '($f := function($a) { ($b := $a; $b.y) }; v.$f($))',
    '($f := function($a) { $ }; v.$f(x))',
    '($g := function($a) { $a.y }; $f := function($a) { $g($a).x }; $f(v) & $g(w))',
    '($f := function($a) { $type($a) = "array" ? $f($a[0]) : $a }; $f(v))',
    '($f := function($a) { $a }; $f := function($a) { $a.x }; $f(v))',
    '($f := function($a) { $a }; v ? ($f := function($a) { $a.x }); $f(w))',
    '($f := function($a) { $a }; ($f := function($a) { $a.y }; $f(v)).x)',
    '($f := function($a) { $a }; $f(v)[0])',
    '($f := function($a) { ($string($a))[0] }; $f(v))',
    '($f := function($a) { v ? $lookup($a, "x") : $keys($a) }; $f(w))',
    '($f := function($a) { $a.x }; $map(v, $f))',
    // Name paths from a variable are read at their site too.
    '($m := v; $m.x.y)',
    '($m := v; [w].($m.x & $m.y.z))',
    // Arguments not known to be scalars or constructed arrays are checked at the call site.
    '$string(v) & $type(w)',
    '($f := function($a, $b) { $b }; $f({ "x": v }, w))',
    '$firstNonEmpty({ "x": v }.x, w)',
    '$type([v]) & $type(v = w) & $string(v & w)',
    // Equality with a literal is `===`; a known boolean is tested as it is; standard functions of
    // one argument are called without an array, their answers left without the epilogue.
    '{ "a": v = "Ada King Lovelace", "b": v != 1, "c": null = v, "d": v != true, "e": 0 = v.x, "f": v.x != "" }',
    '(v = 1 or w != "") ? $type(v) : $count(w)',
    '$not(v) and $exists(w.x) ? $boolean(w) : v > 0 or $not(w)',
    '[$string(v), $lowercase(w), $number(v), $length(w), $max(v), $floor(w), $merge(v)]',
    '$type(v) = "object" ? $count(v.x) : $type(v) & $string($count(w))',
    '[$contains(v, "a") ? $substringBefore(v, "a") : $substringAfter(w, " "), $split(v, " "), $lookup(v, "x"), $append(v, w)]',
    '$contains(v.x, w) and $exists($lookup(w, v)) ? $append(v.x, [w]) : $split(w, v)',
    // A field of the same context read again in scope is the value read before (an array afresh).
    '[x, v.{ "a": x, "b": x ? { "c": x, "d": x.y } : x.y, "e": x.y }, x.y, v.x]',
    '($a := v.x; [$a[], v.x, v.x ? v.x : w, v.x.y, v.x ? { "a": v.x.y } : v])',
    // `$each` with a function that gives back its argument is the object's values.
    '$each(v, function($v) { $v })',
    '[$each(v.x, function($x) { $x }), $each(w, function($v, $k) { $v }), $each(v, function($v) { $v[0] })]',
    // An object constructor is one literal when every value turns out to be there.
    '{ "a": v.x, "b": w ? [w] : null, "c": "k", "d": v.y }',
    '($f := function($a) { $a }; { "a": v.x, "f": w ? $f : 1 })',
    // Answers of standard functions that are scalars go to other functions unchecked; data
    // ($lookup's, $append's, which may carry jsonata's function flags) is still checked.
    '$firstNonEmpty($lookup(w, "x"), $lowercase(v), $string(w), $type(v), $substringBefore(v, "a"), $number(v))',
    '$firstNonEmpty($firstNonEmpty(v.x, w), $merge(w), $count(v))',
    // An inlined call's answer is through the epilogue unless a tail call's answer may not be.
    '($f := function($a) { $lookup($a, "x") }; $g := function($a) { $exists($a) ? $f($a) : $a.y }; [$type($f(v)), $type($g(w)), $g(v) = 1])',
    '($f := function($a) { $a.x }; $g := function($a) { $f($a) }; $h := function($a) { $not($a) }; [$type($g(v)), $h(w), $g(w)[0]])',
    '[$lookup($lookup(v, "y"), $string(w)), $firstNonEmpty($append(w, v), $number(v)), $keyBy($lookup(v, "x"), $type(w))]',
  ]
  const key = fc.constantFrom('x', 'y', 'z', '_jsonata_function', '_jsonata_lambda')
  const value = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.integer(),
      fc.constantFrom('2025-01-15T10:30:00Z', 'Ada King Lovelace', ''),
      fc.boolean(),
      fc.constant(null),
      // Not plain data: a field found only on the prototype, and no prototype at all.
      fc.constantFrom(Object.create({ x: 'inherited' }), Object.assign(Object.create(null), { x: 1, y: [2] })),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(key, tie('value'), { maxKeys: 3 }),
    ),
  })).value
  const input = fc.oneof(
    fc.record({ v: value, w: value }, { requiredKeys: [] }),
    fc.array(fc.record({ v: value, x: value }), { maxLength: 2 }),
    value,
  )
  it.each(EXPRESSIONS)('%s matches jsonata or steps aside', async (text) => {
    const generated = instantiate(text)
    expect(generated, `${text} should be generated`).toBeDefined()
    let answered = 0
    await fc.assert(
      fc.asyncProperty(input, async (data) => {
        const result = await compareGenerated(text, data, generated!)
        if (result.generated.ok) {
          answered++
          expect(result.generated).toEqual(result.stock)
        }
      }),
      { numRuns: 300 },
    )
    expect(answered).toBeGreaterThan(0)
  })
})

describe('generated code: variables read as they are where a binding finished them (fast-check)', () => {
  // A variable's read skips jsonata's epilogue where a binding wrote it on every path there
  // (a binding's value is through the epilogue already); a read of what evaluate()'s bindings
  // passed, of a real lambda's arguments, or of a name bound only on some paths keeps it. The
  // engine passes no bindings, so no variable ever holds a value the epilogue would change: these
  // cases guard that each read is the local its frame holds at that point, bound or not.
  const EXPRESSIONS = [
    '($b := $a; [$a, $b, $b[], $a[]])',
    '(v ? $a := w : 0; [$a, $a[]])',
    '[($a; $a := v.x; $a), $a]',
    '($f := function() { $a }; $x := $f(); $a := v.x; [$x, $f(), $map([1, 2], $f), $a])',
    '($a := v.x[]; $f := function($p) { [$p, $a, $a[]] }; [$f($a), $map(w, $f)])',
    '[v.x, w].($c := $a; [$c, $])',
  ]
  const scalar = fc.oneof(fc.integer(), fc.constantFrom('s', ''), fc.boolean(), fc.constant(null))
  const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(fc.constantFrom('x', 'y'), scalar, { maxKeys: 2 }))
  const bound = fc.oneof(value, fc.constant(undefined))
  const input = fc.record({ v: fc.oneof(value, fc.record({ x: fc.oneof(value, fc.array(value, { maxLength: 2 })) })), w: value })
  it.each(EXPRESSIONS)('%s matches jsonata or steps aside', async (text) => {
    const generated = instantiate(text)
    expect(generated, `${text} should be generated`).toBeDefined()
    let answered = 0
    await fc.assert(
      fc.asyncProperty(input, bound, async (data, a) => {
        const result = await compareGenerated(text, data, generated!, { a })
        if (result.generated.ok) {
          answered++
          expect(result.generated).toEqual(result.stock)
        }
      }),
      { numRuns: 300 },
    )
    expect(answered).toBeGreaterThan(0)
  })
})
