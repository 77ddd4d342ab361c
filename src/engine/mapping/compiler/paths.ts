/**
 * Paths (`a.b.c`, `$x.y`, `response.data.{…}`), field names and variables: synchronous ports of
 * jsonata's evaluatePath / evaluateStep / evaluateName / evaluateVariable. Each step maps over the
 * input sequence and flattens results one level, except arrays built by a constructor (`cons`);
 * the last step hands back a lone non-sequence array as it is (so `x.list` is the data's array).
 */
import { compileFilters, type Filter } from './filters'
import { createSequence, type Ev, type Frame, isSequence, lookupField, type Seq } from './runtime'
import { JSONATA_FUNCTION_NAMES } from './builtins'
import type { Compiler, Node } from './types'

export function compileName(node: Node): Ev {
  const key = node.value as string
  return (input) => lookupField(input, key)
}

export function compileVariable(node: Node, c: Compiler): Ev | undefined {
  const name = node.value as string
  if (name === '') return (input) => (input && (input as Seq).outerWrapper ? (input as Seq)[0] : input)
  // A builtin or registered function used as a value is not compiled (only calls are).
  if (JSONATA_FUNCTION_NAMES.has(name) || c.registered.has(name)) return undefined
  return (_input, env) => env.lookup(name)
}

interface Step {
  ev: Ev
  stages: Filter[]
  consarray: boolean
}

export function compilePath(node: Node, c: Compiler): Ev | undefined {
  if (node.group !== undefined || node.tuple) return undefined
  const steps: Step[] = []
  for (const step of node.steps ?? []) {
    if (step.type === 'sort' || step.tuple || step.focus !== undefined || step.index !== undefined || step.ancestor !== undefined)
      return undefined
    if (step.group !== undefined && step.type === 'path') return undefined
    const ev = c.compile(step)
    const stages = compileFilters(step.stages, c)
    if (!ev || !stages) return undefined
    steps.push({ ev, stages, consarray: step.consarray === true })
  }
  if (steps.length === 0) return undefined
  const absolute = node.steps![0].type === 'variable'
  const keepSingletonArray = node.keepSingletonArray === true
  const last = steps.length - 1

  // jsonata's evaluatePath loop, from step `from` (resultSequence: what step from−1 gave).
  const run = (inputSequence: unknown[], from: number, env: Frame, resultSequence?: unknown): unknown => {
    for (let ii = from; ii < steps.length; ii++) {
      const step = steps[ii]
      if (ii === 0 && step.consarray) resultSequence = step.ev(inputSequence, env)
      else resultSequence = evaluateStep(step, inputSequence, env, ii === last)
      if (resultSequence === undefined || (resultSequence as unknown[]).length === 0) break
      inputSequence = resultSequence as unknown[]
    }
    if (keepSingletonArray) {
      let r = resultSequence as Seq
      if (Array.isArray(r) && r.cons && !r.sequence) r = createSequence(r)
      r.keepSingleton = true
      resultSequence = r
    }
    return resultSequence
  }
  const general: Ev = (input, env) => run(Array.isArray(input) && !absolute ? input : createSequence(input), 0, env)
  // Step `k` gave `res` for the single input item: carry on as evaluatePath would from there.
  const resume = (k: number, res: unknown, env: Frame): unknown => {
    const rs = collect([res], k === last)
    return rs.length === 0 ? rs : run(rs, k + 1, env, rs)
  }
  const simple = simpleChain(node)
  return simple && !keepSingletonArray ? singleValueFirst(simple, absolute, steps[0].ev, general, resume) : general
}

/**
 * `a.b.c`, `$x.b.c` or `$f(x).b` with no predicates: the field names after the first step, or
 * undefined. Such a path over a single (non-array) value is its first step then a chain of
 * property reads, which is what the general algorithm computes one-item sequence by one-item
 * sequence. (A first-step array constructor sees the whole input sequence: not a chain.)
 */
function simpleChain(node: Node): string[] | undefined {
  const steps = node.steps ?? []
  const plain = (s: Node) => !s.stages && !s.predicate && !s.keepArray && s.group === undefined && !s.consarray
  if (!steps.every(plain) || steps[0].type === 'sort') return undefined
  if (!steps.slice(1).every((s) => s.type === 'name')) return undefined
  return steps.slice(1).map((s) => s.value as string)
}

/**
 * The chain read directly while every value met is a single non-array value; the first array
 * (which the general algorithm maps over and flattens) hands over to it from that step, so no
 * step is evaluated twice.
 * Both end the same: a missing field is undefined (an empty sequence, unwrapped by the caller),
 * a single value is that value (a one-item sequence, unwrapped).
 */
function singleValueFirst(
  keys: string[],
  absolute: boolean,
  first: Ev,
  general: Ev,
  resume: (k: number, res: unknown, env: Frame) => unknown,
): Ev {
  return (input, env) => {
    if (!absolute && Array.isArray(input)) return general(input, env)
    let cur = first(input, env)
    if (cur === undefined) return undefined
    if (Array.isArray(cur)) return resume(0, cur, env)
    for (let i = 0; i < keys.length; i++) {
      cur = lookupField(cur, keys[i])
      if (cur === undefined) return undefined
      if (Array.isArray(cur)) return resume(i + 1, cur, env)
    }
    return cur
  }
}

function evaluateStep(step: Step, input: unknown[], env: Frame, lastStep: boolean): Seq {
  const result: unknown[] = []
  for (let ii = 0; ii < input.length; ii++) {
    let res = step.ev(input[ii], env)
    for (const stage of step.stages) res = stage(res, env)
    if (res !== undefined) result.push(res)
  }
  return collect(result, lastStep)
}

/** A step's per-item results as one sequence: flattened one level, except constructed arrays. */
export function collect(result: unknown[], lastStep: boolean): Seq {
  if (lastStep && result.length === 1 && Array.isArray(result[0]) && !isSequence(result[0])) return result[0] as Seq
  const resultSequence = createSequence()
  for (const res of result) {
    if (!Array.isArray(res) || (res as Seq).cons) resultSequence.push(res)
    else for (const val of res) resultSequence.push(val)
  }
  return resultSequence
}
