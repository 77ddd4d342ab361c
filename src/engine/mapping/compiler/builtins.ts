/**
 * jsonata's standard functions that mappings use, as synchronous ports of functions.js with the
 * argument checks of their signatures. Anything a signature would reject or coerce in a way not
 * reproduced here (wrong types, regex arguments, context substitution) makes the call step aside
 * (Fallback) so jsonata raises its own error; arities outside [min, max] are not compiled at all.
 */
import {
  append,
  createSequence,
  fallback,
  finish,
  isFunction,
  isNumeric,
  Lambda,
  lookupField,
  type RunState,
  type Seq,
  symbolOf,
  toBoolean,
  toJsonataString,
} from './runtime'

/** Every function in jsonata's static frame: a binding by one of these names is not compiled. */
export const JSONATA_FUNCTION_NAMES: ReadonlySet<string> = new Set(
  (
    'sum count max min average string substring substringBefore substringAfter lowercase uppercase length trim pad match ' +
    'contains replace split join formatNumber formatBase formatInteger parseInteger number floor ceil round abs sqrt power ' +
    'random boolean not map zip filter single reduce sift keys lookup append exists spread merge reverse each error assert ' +
    'type sort shuffle distinct encodeUrlComponent encodeUrl decodeUrlComponent decodeUrl eval toMillis fromMillis clone now millis'
  ).split(' '),
)

export interface Builtin {
  min: number
  max: number
  impl: (args: unknown[], run: RunState) => unknown
  /** The same function of one argument, without an argument array (generated code calls it so). */
  one?: (v: unknown) => unknown
  /** The same function of two arguments, without an argument array. */
  two?: (a: unknown, b: unknown) => unknown
  /**
   * What it answers when never a sequence (so jsonata's epilogue leaves it as it is): `boolean`
   * a boolean or undefined, `exists` always a boolean, `count` always a number, `single` anything else.
   */
  answers?: 'boolean' | 'exists' | 'count' | 'single'
  /** Answers a string, number or boolean, or undefined: never an object (so never data flagged as a function). */
  scalar?: true
}

/** `b`, marked as answering scalars only. */
const scalar = (b: Builtin): Builtin => ({ ...b, scalar: true })

/** A function of one argument: `one` is the implementation, `impl` its argument-array form. */
function unary(one: (v: unknown) => unknown, answers?: Builtin['answers']): Builtin {
  return { min: 1, max: 1, impl: ([v]) => one(v), one, answers }
}

/** A function of one argument that answers scalars only. */
function scalarUnary(one: (v: unknown) => unknown, answers?: Builtin['answers']): Builtin {
  return scalar(unary(one, answers))
}

/** A function of two arguments: `two` is the implementation, `impl` its argument-array form. */
function binary(two: (a: unknown, b: unknown) => unknown, answers?: Builtin['answers']): Builtin {
  return { min: 2, max: 2, impl: ([a, b]) => two(a, b), two, answers }
}

function want(v: unknown, symbols: string): void {
  if (!symbols.includes(symbolOf(v))) fallback('argument type')
}

/** An `a<t>` parameter: undefined stays, a lone value becomes [value], items must all be `t`. */
function arrayOf(v: unknown, subtype?: string): unknown[] | undefined {
  if (v === undefined) return undefined
  if (!Array.isArray(v)) {
    if (subtype !== undefined && symbolOf(v) !== subtype) fallback('T0412')
    return [v]
  }
  if (subtype !== undefined && v.length > 0) {
    const t = symbolOf(v[0])
    if (t !== subtype) fallback('T0412')
    for (const item of v) if (symbolOf(item) !== t) fallback('T0412')
  }
  return v
}

/** `<a<n>:n>` functions: undefined stays undefined, a lone number is a list of one. */
function numericAggregate(f: (list: number[]) => number | undefined): Builtin {
  return scalarUnary((arg) => {
    const list = arrayOf(arg, 'n') as number[] | undefined
    return list === undefined ? undefined : f(list)
  }, 'single')
}

function stringFn(f: (s: string) => string | number): Builtin {
  return scalarUnary((s) => {
    want(s, 'sm')
    return s === undefined ? undefined : f(s as string)
  }, 'single')
}

function numberFn(f: (n: number) => number): Builtin {
  return scalarUnary((n) => {
    want(n, 'nm')
    return n === undefined ? undefined : f(n as number)
  }, 'single')
}

function twoStrings(f: (s: string, t: string) => unknown): Builtin {
  return binary((s, t) => {
    want(s, 'sm')
    // jsonata checks the second argument against the signature even when the first is missing:
    // anything but a string is left to it (its error, or a regex's answer).
    if (s === undefined) {
      if (t !== undefined) want(t, 's')
      return undefined
    }
    // An undefined second argument (jsonata searches for the text "undefined") or a regex
    // (jsonata's matcher) is left to jsonata.
    want(t, 's')
    return f(s as string, t as string)
  }, 'single')
}

function higherOrder(each: (list: unknown[], fn: Lambda, out: Seq) => void): Builtin {
  return {
    min: 2,
    max: 2,
    impl: ([arr, fn]) => {
      if (!(fn instanceof Lambda)) return fallback('function argument')
      const list = arrayOf(arr)
      if (list === undefined) return undefined
      const out = createSequence()
      each(list, fn, out)
      return out
    },
  }
}

/** hofFuncArgs: value, then index/key and the whole structure only if the function takes them. */
function hofArgs(fn: Lambda, value: unknown, key: unknown, whole: unknown): unknown[] {
  const n = fn.params.length
  return n >= 3 ? [value, key, whole] : n >= 2 ? [value, key] : [value]
}

function keysOf(arg: unknown): Seq {
  let result = createSequence()
  if (Array.isArray(arg)) {
    const merged: Record<string, boolean> = Object.create(null)
    for (const item of arg) for (const k of keysOf(item)) merged[k as string] = true
    result = keysOf(merged)
  } else if (arg !== null && typeof arg === 'object' && !isFunction(arg)) {
    for (const k of Object.keys(arg)) result.push(k)
  }
  return result
}

/**
 * `$each(obj, function($v) { $v })`: each's answer when its function gives back its one argument
 * (through a variable's epilogue), without the function: the values that are not undefined.
 */
export function eachValue(obj: unknown): Seq {
  want(obj, 'om')
  const out = createSequence()
  if (obj === undefined) return out
  for (const key of Object.keys(obj as object)) {
    const val = finish((obj as Record<string, unknown>)[key], false)
    if (val !== undefined) out.push(val)
  }
  return out
}

const NUMBER_TEXT = /^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$/
const PREFIXED_NUMBER = /^(0[xX][0-9A-Fa-f]+)|(0[oO][0-7]+)|(0[bB][0-1]+)$/

export const BUILTINS: Readonly<Record<string, Builtin>> = {
  string: scalarUnary(toJsonataString, 'single'),
  number: scalarUnary((v) => {
    want(v, 'nsbm')
    if (v === undefined || typeof v === 'number') return v
    if (typeof v === 'string' && NUMBER_TEXT.test(v) && !Number.isNaN(parseFloat(v)) && Number.isFinite(Number(v))) return parseFloat(v)
    if (typeof v === 'string' && PREFIXED_NUMBER.test(v)) return Number(v)
    if (v === true) return 1
    if (v === false) return 0
    return fallback('D3030')
  }, 'single'),
  boolean: scalarUnary(toBoolean, 'boolean'),
  not: scalarUnary((v) => (v === undefined ? undefined : !toBoolean(v)), 'boolean'),
  exists: scalarUnary((v) => v !== undefined, 'exists'),
  type: scalarUnary((v) => {
    if (v === undefined) return undefined
    if (v === null) return 'null'
    if (isNumeric(v)) return 'number'
    if (typeof v === 'string') return 'string'
    if (typeof v === 'boolean') return 'boolean'
    if (Array.isArray(v)) return 'array'
    if (isFunction(v)) return 'function'
    return 'object'
  }, 'single'),
  lookup: binary((obj, key) => {
    want(key, 's')
    return lookupField(obj, key as string)
  }),
  append: binary(append),
  merge: unary((arg) => {
    const list = arrayOf(arg, 'o')
    if (list === undefined) return undefined
    const result: Record<string, unknown> = Object.create(null)
    for (const obj of list) for (const k of Object.keys(obj as object)) result[k] = (obj as Record<string, unknown>)[k]
    return result
  }, 'single'),
  max: numericAggregate((list) => (list.length === 0 ? undefined : Math.max(...list))),
  min: numericAggregate((list) => (list.length === 0 ? undefined : Math.min(...list))),
  sum: numericAggregate((list) => list.reduce((total, n) => total + n, 0)),
  count: scalarUnary((arg) => arrayOf(arg)?.length ?? 0, 'count'),
  floor: numberFn(Math.floor),
  ceil: numberFn(Math.ceil),
  abs: numberFn(Math.abs),
  join: {
    min: 1,
    max: 2,
    impl: ([arg, sep]) => {
      const list = arrayOf(arg, 's')
      want(sep, 'sm')
      return list === undefined ? undefined : list.join(sep === undefined ? '' : (sep as string))
    },
  },
  split: twoStrings((s, separator) => s.split(separator)),
  lowercase: stringFn((s) => s.toLowerCase()),
  uppercase: stringFn((s) => s.toUpperCase()),
  // jsonata counts code points (stringToArray), not UTF-16 units.
  length: stringFn((s) => Array.from(s).length),
  contains: scalar(
    binary((s, token) => {
      want(s, 'sm')
      want(token, 'sfm')
      if (s === undefined || token === undefined) return undefined
      if (typeof token !== 'string') return fallback('regex token')
      return (s as string).indexOf(token) !== -1
    }, 'boolean'),
  ),
  substringBefore: scalar(
    twoStrings((s, chars) => {
      const pos = s.indexOf(chars)
      return pos > -1 ? s.substr(0, pos) : s
    }),
  ),
  substringAfter: scalar(
    twoStrings((s, chars) => {
      const pos = s.indexOf(chars)
      return pos > -1 ? s.substr(pos + chars.length) : s
    }),
  ),
  keys: { min: 1, max: 1, impl: ([v]) => keysOf(v) },
  map: higherOrder((list, fn, out) => {
    for (let i = 0; i < list.length; i++) {
      const res = fn.call(hofArgs(fn, list[i], i, list))
      if (res !== undefined) out.push(res)
    }
  }),
  filter: higherOrder((list, fn, out) => {
    for (let i = 0; i < list.length; i++) {
      if (toBoolean(fn.call(hofArgs(fn, list[i], i, list)))) out.push(list[i])
    }
  }),
  each: {
    min: 2,
    max: 2,
    impl: ([obj, fn]) => {
      want(obj, 'om')
      if (!(fn instanceof Lambda)) return fallback('function argument')
      const out = createSequence()
      if (obj === undefined) return out
      for (const key of Object.keys(obj as object)) {
        const val = fn.call(hofArgs(fn, (obj as Record<string, unknown>)[key], key, obj))
        if (val !== undefined) out.push(val)
      }
      return out
    },
  },
  millis: { min: 0, max: 0, impl: (_args, run) => run.timestamp },
}
