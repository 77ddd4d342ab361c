/**
 * Predicates (`a[0]`, `a[-1]`, `a[x = 1]`, `a[[0, 2]]`): a synchronous port of jsonata's
 * evaluateFilter. A numeric literal picks by position (negative counts from the end); any other
 * predicate is evaluated per item and keeps it when it is a number (array of numbers) naming the
 * item's index, or when its effective boolean value is true.
 */
import { createSequence, type Ev, type Frame, isArrayOfNumbers, isNumeric, type Seq, toBoolean } from './runtime'
import type { Compiler, Node } from './types'

export type Filter = (input: unknown, env: Frame) => unknown

function compileFilter(predicate: { type: string; expr: Node }, c: Compiler): Filter | undefined {
  if (predicate.type !== 'filter') return undefined
  const expr = predicate.expr
  if (expr.type === 'number') {
    const fixed = Math.floor(expr.value as number)
    return (input) => pickIndex(input, fixed)
  }
  const test = c.compile(expr)
  if (!test) return undefined
  return (input, env) => byPredicate(test, input, env)
}

function byPredicate(test: Ev, input: unknown, env: Frame): Seq {
  const results = createSequence()
  // Tuple streams (focus/index binding) are never compiled, so input is never one here.
  const list = Array.isArray(input) ? input : createSequence(input)
  for (let index = 0; index < list.length; index++) {
    const item = list[index]
    keepIf(results, item, index, list.length, test(item, env))
  }
  return results
}

/** A numeric-literal predicate: the item at `fixed` (negative counts from the end). */
export function pickIndex(input: unknown, fixed: number): unknown {
  let results: unknown = createSequence()
  const list = Array.isArray(input) ? input : createSequence(input)
  const index = fixed < 0 ? list.length + fixed : fixed
  const item = list[index]
  if (item !== undefined) {
    if (Array.isArray(item)) results = item
    else (results as Seq).push(item)
  }
  return results
}

/** Keeps `item` (at `index` of a list of `length`) when the predicate's value `res` selects it. */
export function keepIf(results: Seq, item: unknown, index: number, length: number, res: unknown): void {
  if (isNumeric(res)) res = [res]
  if (isArrayOfNumbers(res)) {
    for (const ires of res as number[]) {
      let ii = Math.floor(ires)
      if (ii < 0) ii = length + ii
      if (ii === index) results.push(item)
    }
  } else if (toBoolean(res)) {
    results.push(item)
  }
}

/** Applies a node's filters in order, as jsonata does for `predicate` and step `stages`. */
export function compileFilters(list: Array<{ type: string; expr: Node }> | undefined, c: Compiler): Filter[] | undefined {
  const out: Filter[] = []
  for (const p of list ?? []) {
    const f = compileFilter(p, c)
    if (!f) return undefined
    out.push(f)
  }
  return out
}
