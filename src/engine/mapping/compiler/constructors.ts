/**
 * Array `[…]` and object `{…}` constructors: synchronous ports of jsonata's evaluateUnary('[') and
 * evaluateGroupExpression. An array constructor appends (flattens) each item's value except nested
 * constructors; an object constructor groups its input by key (so over an array it merges the
 * items' values per key) and drops keys whose value is undefined.
 */
import { append, createSequence, type Ev, fallback, type Frame, Lambda, type Seq } from './runtime'
import type { Compiler, Node } from './types'

export function compileArray(node: Node, c: Compiler): Ev | undefined {
  const items: Array<{ ev: Ev; nested: boolean }> = []
  for (const item of node.expressions ?? []) {
    const ev = c.compile(item)
    if (!ev) return undefined
    items.push({ ev, nested: item.value === '[' })
  }
  const consarray = node.consarray === true
  return (input, env) => {
    let result: unknown = []
    for (const item of items) {
      const value = item.ev(input, env)
      if (value === undefined) continue
      if (value instanceof Lambda) fallback('function value in an array')
      if (item.nested) (result as unknown[]).push(value)
      else result = append(result, value)
    }
    if (consarray) Object.defineProperty(result, 'cons', { enumerable: false, configurable: false, value: true })
    return result
  }
}

export function compileObject(node: Node, c: Compiler): Ev | undefined {
  const pairs: Array<[Ev, Ev]> = []
  for (const [k, v] of (node.lhs ?? []) as Array<[Node, Node]>) {
    const key = c.compile(k)
    const value = c.compile(v)
    if (!key || !value) return undefined
    pairs.push([key, value])
  }
  const literalKeys = distinctLiteralKeys(node)
  const general: Ev = (input, env) => groupObject(input, pairs, env)
  if (!literalKeys) return general
  const values = pairs.map(([, v]) => v)
  // One context item and distinct literal keys: every group holds that item, in key order.
  return (input, env) => {
    if (Array.isArray(input)) return general(input, env)
    const result: Record<string, unknown> = Object.create(null)
    for (let i = 0; i < values.length; i++) {
      const value = values[i](input, env)
      if (value instanceof Lambda) fallback('function value in an object')
      if (value !== undefined) result[literalKeys[i]] = value
    }
    return result
  }
}

/** jsonata's evaluateGroupExpression over `input` for (key, value) evaluator pairs. */
export function groupObject(input: unknown, pairs: ReadonlyArray<readonly [Ev, Ev]>, env: Frame): Record<string, unknown> {
  const list: Seq = Array.isArray(input) ? input : createSequence(input)
  // jsonata pushes onto the input itself so a literal object is built from an empty context.
  if (list.length === 0) list.push(undefined)
  const groups: Record<string, { data: unknown; exprIndex: number }> = Object.create(null)
  for (const item of list) {
    for (let pairIndex = 0; pairIndex < pairs.length; pairIndex++) {
      const key = pairs[pairIndex][0](item, env)
      if (key === undefined) continue
      // Non-string keys (T1003), internal flag names (D1013) and clashing keys (D1009) are jsonata's errors.
      if (typeof key !== 'string' || key === '_jsonata_lambda' || key === '_jsonata_function') fallback('bad object key')
      const existing = groups[key]
      if (existing) {
        if (existing.exprIndex !== pairIndex) fallback('D1009 duplicate key')
        existing.data = append(existing.data, item)
      } else {
        groups[key] = { data: item, exprIndex: pairIndex }
      }
    }
  }
  const result: Record<string, unknown> = Object.create(null)
  for (const key of Object.keys(groups)) {
    const entry = groups[key]
    const value = pairs[entry.exprIndex][1](entry.data, env)
    if (value instanceof Lambda) fallback('function value in an object')
    if (value !== undefined) result[key] = value
  }
  return result
}

/**
 * The keys when all are distinct string literals that are not array indices (those jsonata's
 * group object would order first) nor its internal flags; otherwise undefined.
 */
export function distinctLiteralKeys(node: Node): string[] | undefined {
  const keys: string[] = []
  for (const [k] of (node.lhs ?? []) as Array<[Node, Node]>) {
    if (k.type !== 'string' || k.predicate || k.keepArray) return undefined
    const key = k.value as string
    if (/^(0|[1-9][0-9]*)$/.test(key) || key === '_jsonata_lambda' || key === '_jsonata_function' || keys.includes(key)) return undefined
    keys.push(key)
  }
  return keys
}
