/**
 * What generated mapping code (mappings.generated.js) calls: the closure compiler's own helpers
 * (the same jsonata 2.2.2 value model and ports), plus the few loops the generator does not write
 * out inline (name-only path steps, calls through jsonata's function values). Nothing here builds
 * code at run time: the generated module is plain module code, bundled for Node and Workers alike.
 */
import { BUILTINS } from '../compiler/builtins'
import { checkedCall } from '../compiler/calls'
import { collect } from '../compiler/paths'
import { compileSignature } from '../compiler/signatures'
import {
  append,
  checkArguments,
  createSequence,
  fallback,
  finish,
  isFunction,
  isNumeric,
  Lambda,
  lookupField,
  type RunState,
  type Seq,
  Thunk,
} from '../compiler/runtime'
import type { Frame } from '../compiler/runtime'
import { MAPPING_FUNCTIONS } from '../functions'

export {
  append,
  checkArgument,
  createSequence,
  Fallback,
  fallback,
  finish,
  isDeepEqual,
  Lambda,
  lookupField,
  Thunk,
  toBoolean,
} from '../compiler/runtime'
export { boolize, comparison, concat, includes, numeric } from '../compiler/operators'
export { eachValue } from '../compiler/builtins'
export { groupObject } from '../compiler/constructors'
export { keepIf, pickIndex } from '../compiler/filters'
export { collect } from '../compiler/paths'

/** A generated `function($a) { … }`: a Lambda (so builtins such as $map take it) whose body is code. */
export class CodeLambda extends Lambda {
  constructor(
    params: string[],
    private readonly code: (args: unknown[]) => unknown,
  ) {
    super(params, () => undefined, undefined, undefined as unknown as Frame)
  }

  override call(args: unknown[]): unknown {
    let result = this.code(args)
    // jsonata's apply() trampoline: a call in tail position comes back unevaluated.
    while (result instanceof Thunk) result = result.run()
    return result
  }
}

/** `$f(…)` where `$f` is a bound variable: only lambdas are called here. */
export function callLambda(fn: unknown, args: unknown[]): unknown {
  if (!(fn instanceof Lambda)) return fallback('call of a non-function')
  checkArguments(args)
  return fn.call(args)
}

/**
 * A jsonata standard function's implementation, called by generated code after it checked each
 * argument (checkArgument): called at its own site, so V8 can inline it there (a shared wrapper's
 * call of it would see every builtin).
 */
export function builtinImpl(name: string): (args: unknown[], run: RunState) => unknown {
  return BUILTINS[name].impl
}

/** A jsonata standard function of one argument, without an argument array (checked as builtinImpl's). */
export function builtinOne(name: string): (v: unknown) => unknown {
  const one = BUILTINS[name].one
  if (!one) throw new Error(`generated code calls $${name} with one argument, which it has no form for`)
  return one
}

/** A jsonata standard function of two arguments, without an argument array (checked as builtinImpl's). */
export function builtinTwo(name: string): (a: unknown, b: unknown) => unknown {
  const two = BUILTINS[name].two
  if (!two) throw new Error(`generated code calls $${name} with two arguments, which it has no form for`)
  return two
}

/** A registered function's answer: a promise (an async function) is left to jsonata. */
export function synchronous(result: unknown): unknown {
  if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') fallback('async function')
  return result
}

/** An argument of a registered function without a signature: a function is left to jsonata. */
export function notFunction(v: unknown): void {
  if (isFunction(v)) fallback('function passed to a registered function')
}

/**
 * A registered function without a signature, called by generated code with its arguments as they
 * are (no array), after notFunction on each, and its answer through synchronous: checkedCall's
 * checks, with the call at its own site.
 */
export function registeredImpl(name: string): (...args: unknown[]) => unknown {
  const f = MAPPING_FUNCTIONS.find((fn) => fn.name === name)
  if (!f || f.signature !== undefined) throw new Error(`generated code calls $${name} directly, which has a signature`)
  return f.impl as (...a: unknown[]) => unknown
}

/** A function registered on the engine, with the closure compiler's argument checks around it. */
export function registered(name: string, argCount: number): (args: unknown[]) => unknown {
  const f = MAPPING_FUNCTIONS.find((fn) => fn.name === name)
  const validate = f && compileSignature(f.signature, argCount)
  if (!f || !validate)
    throw new Error(`generated code calls $${name} with ${argCount} arguments, which the closure compiler does not compile`)
  return checkedCall(f.impl as (...a: unknown[]) => unknown, validate)
}

/** The closure compiler's unary minus. */
export function negate(v: unknown): unknown {
  if (v === undefined) return undefined
  if (isNumeric(v)) return -v
  return fallback('D1002')
}

/** The context `$`: a top-level array's wrapper stands for the array. */
export function contextValue(input: unknown): unknown {
  return input && (input as Seq).outerWrapper ? (input as Seq)[0] : input
}

/** The root frame's binding of `name` (jsonata binds each evaluate() binding there). */
export function bindingOf(bindings: Record<string, unknown> | undefined, name: string): unknown {
  return bindings !== undefined && Object.prototype.hasOwnProperty.call(bindings, name) ? bindings[name] : undefined
}

/** jsonata wraps a top-level array so that it is treated as one input. */
export function rootContext(input: unknown): unknown {
  if (!Array.isArray(input) || (input as Seq).sequence) return input
  const wrapper: Seq = [input]
  wrapper.sequence = true
  wrapper.outerWrapper = true
  return wrapper
}

/** The generated function's answer: a function value is not one (jsonata returns its own object). */
export function rootResult(result: unknown): unknown {
  if (result instanceof Lambda) fallback('function result')
  return result
}

/** A path marked to keep a singleton array (`a.b[]`), as evaluatePath's end. */
export function keepSingletonResult(result: unknown): unknown {
  let r = result as Seq
  if (Array.isArray(r) && r.cons && !r.sequence) r = createSequence(r)
  r.keepSingleton = true
  return r
}

/** An array constructor's item: appended (flattened) unless a nested constructor's array. */
export function addItem(result: unknown[], value: unknown, nested: boolean): void {
  if (value === undefined) return
  if (value instanceof Lambda) fallback('function value in an array')
  if (nested || !Array.isArray(value)) result.push(value)
  else for (let i = 0; i < value.length; i++) result.push(value[i])
}

/**
 * What each group of an object constructor with distinct literal keys holds over an input
 * array: every item, appended (jsonata's evaluateGroupExpression, which also pushes undefined onto
 * an empty input so that a literal object is still built).
 */
export function groupData(list: unknown[]): unknown {
  if (list.length === 0) list.push(undefined)
  let data = list[0]
  for (let i = 1; i < list.length; i++) data = append(data, list[i])
  return data
}

/** Marks an array built by a constructor in a path (`[…]` step), as jsonata's `cons` flag. */
export function markCons(result: unknown[]): unknown[] {
  Object.defineProperty(result, 'cons', { enumerable: false, configurable: false, value: true })
  return result
}

/** evaluatePath's loop over name steps `keys[from - 1…]` (step k reads keys[k − 1]). */
export function nameSteps(inputSequence: unknown[], keys: readonly string[], from: number, resultSequence: unknown): unknown {
  for (let ii = from; ii <= keys.length; ii++) {
    const key = keys[ii - 1]
    const result: unknown[] = []
    for (let i = 0; i < inputSequence.length; i++) {
      const res = finish(lookupField(inputSequence[i], key), false)
      if (res !== undefined) result.push(res)
    }
    resultSequence = collect(result, ii === keys.length)
    if ((resultSequence as unknown[]).length === 0) break
    inputSequence = resultSequence as unknown[]
  }
  return resultSequence
}

/**
 * A path `first.k1.k2…` after its first step gave `cur` for a single input item: property reads
 * while every value is a single non-array value, the general loop from the first array on (the
 * closure compiler's singleValueFirst).
 */
export function chainFrom(cur: unknown, keys: readonly string[]): unknown {
  if (cur === undefined) return undefined
  if (Array.isArray(cur)) return resume(0, cur, keys)
  for (let i = 0; i < keys.length; i++) {
    cur = lookupField(cur, keys[i])
    if (cur === undefined) return undefined
    if (Array.isArray(cur)) return resume(i + 1, cur, keys)
  }
  return cur
}

function resume(k: number, res: unknown, keys: readonly string[]): unknown {
  const rs = collect([res], k === keys.length)
  return rs.length === 0 ? rs : nameSteps(rs, keys, k + 1, rs)
}

const hasOwn = Object.prototype.hasOwnProperty
/** What readPlain answers when `input` is not a plain data object, or the value is an array. */
const NOT_PLAIN = Symbol('not plain')

/**
 * lookupField's answer through jsonata's epilogue wherever no sequence is involved: for anything
 * but an array, whose value at `key` (if any) is not an array; NOT_PLAIN for those two cases.
 */
function readPlain(input: unknown, key: string): unknown {
  // lookupField of a scalar, and of a missing or undefined field of anything but an array, is
  // undefined: answered before the checks a present field needs.
  if (input === null || typeof input !== 'object') return undefined
  if (Array.isArray(input)) return NOT_PLAIN
  const o = input as Record<string, unknown>
  const v = o[key]
  if (v === undefined) return undefined
  // An inherited field, or any field of a function (flagged data included), is none either.
  if (!hasOwn.call(o, key) || isFunction(input)) return undefined
  return Array.isArray(v) ? NOT_PLAIN : v
}

/** A name node through its epilogue: `finish(lookupField(input, key))`, read directly where plain. */
export function nameValue(input: unknown, key: string): unknown {
  const v = readPlain(input, key)
  return v !== NOT_PLAIN ? v : finish(lookupField(input, key), false)
}

/**
 * A name path `first.rest…` through its epilogue: `finish(namePath(…))`, read directly while every
 * value met is plain, else computed from the start the general way.
 */
export function pathValue(input: unknown, first: string, rest: readonly string[]): unknown {
  let v = readPlain(input, first)
  for (let i = 0; i < rest.length && v !== NOT_PLAIN && v !== undefined; i++) v = readPlain(v, rest[i])
  return v !== NOT_PLAIN ? v : finish(namePath(input, first, rest), false)
}

/** A relative path of names only (`a.b.c`): the closure compiler's path over a name chain. */
export function namePath(input: unknown, first: string, rest: readonly string[]): unknown {
  if (!Array.isArray(input)) return chainFrom(lookupField(input, first), rest)
  // evaluatePath over the input sequence: step 0 reads `first` of each item, then the rest.
  const result: unknown[] = []
  for (let i = 0; i < input.length; i++) {
    const res = finish(lookupField(input[i], first), false)
    if (res !== undefined) result.push(res)
  }
  const rs = collect(result, rest.length === 0)
  return rs.length === 0 ? rs : nameSteps(rs, rest, 1, rs)
}
