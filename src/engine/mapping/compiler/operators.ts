/**
 * Binary and unary operators: ports of jsonata's evaluateBinary and helpers. Type errors
 * (T2001/T2002 arithmetic, T2009/T2010 comparison, D1002 negation) are not raised here: compiled
 * code steps aside (Fallback) and stock jsonata throws its own error with its own position.
 */
import { type Ev, fallback, isDeepEqual, isNumeric, toBoolean, toJsonataString } from './runtime'
import type { Compiler, Node } from './types'

export function boolize(v: unknown): boolean {
  const b = toBoolean(v)
  return b === undefined ? false : b
}

export function numeric(op: string): (l: unknown, r: unknown) => unknown {
  const check = (l: unknown, r: unknown): boolean => {
    if (l !== undefined && !isNumeric(l)) fallback('T2001')
    if (r !== undefined && !isNumeric(r)) fallback('T2002')
    return l !== undefined && r !== undefined
  }
  switch (op) {
    case '+':
      return (l, r) => (check(l, r) ? (l as number) + (r as number) : undefined)
    case '-':
      return (l, r) => (check(l, r) ? (l as number) - (r as number) : undefined)
    case '*':
      return (l, r) => (check(l, r) ? (l as number) * (r as number) : undefined)
    case '/':
      return (l, r) => (check(l, r) ? (l as number) / (r as number) : undefined)
    default:
      return (l, r) => (check(l, r) ? (l as number) % (r as number) : undefined)
  }
}

export function comparison(op: string): (l: unknown, r: unknown) => unknown {
  const cmp =
    op === '<'
      ? (a: never, b: never) => a < b
      : op === '<='
        ? (a: never, b: never) => a <= b
        : op === '>'
          ? (a: never, b: never) => a > b
          : (a: never, b: never) => a >= b
  return (l, r) => {
    const lt = typeof l
    const rt = typeof r
    if (!(lt === 'undefined' || lt === 'string' || lt === 'number') || !(rt === 'undefined' || rt === 'string' || rt === 'number'))
      fallback('T2010')
    if (lt === 'undefined' || rt === 'undefined') return undefined
    if (lt !== rt) fallback('T2009')
    return cmp(l as never, r as never)
  }
}

export function includes(l: unknown, r: unknown): boolean {
  if (l === undefined || r === undefined) return false
  const list = Array.isArray(r) ? r : [r]
  for (const item of list) if (item === l) return true
  return false
}

export function concat(l: unknown, r: unknown): string {
  return (l === undefined ? '' : toJsonataString(l)!).concat(r === undefined ? '' : toJsonataString(r)!)
}

export function compileBinary(node: Node, c: Compiler): Ev | undefined {
  const lhs = c.compile(node.lhs as Node)
  const rhs = c.compile(node.rhs as Node)
  if (!lhs || !rhs) return undefined
  const op = node.value as string
  if (op === 'and') return (input, env) => boolize(lhs(input, env)) && boolize(rhs(input, env))
  if (op === 'or') return (input, env) => boolize(lhs(input, env)) || boolize(rhs(input, env))
  let apply: (l: unknown, r: unknown) => unknown
  switch (op) {
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      apply = numeric(op)
      break
    case '=':
      apply = (l, r) => (l === undefined || r === undefined ? false : isDeepEqual(l, r))
      break
    case '!=':
      apply = (l, r) => (l === undefined || r === undefined ? false : !isDeepEqual(l, r))
      break
    case '<':
    case '<=':
    case '>':
    case '>=':
      apply = comparison(op)
      break
    case '&':
      apply = concat
      break
    case 'in':
      apply = includes
      break
    default:
      return undefined // '..' ranges and anything newer stay with jsonata
  }
  return (input, env) => {
    const l = lhs(input, env)
    return apply(l, rhs(input, env))
  }
}

export function compileUnaryMinus(node: Node, c: Compiler): Ev | undefined {
  const inner = c.compile(node.expression as Node)
  if (!inner) return undefined
  return (input, env) => {
    const v = inner(input, env)
    if (v === undefined) return undefined
    if (isNumeric(v)) return -v
    return fallback('D1002')
  }
}
