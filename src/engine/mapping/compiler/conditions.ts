/** `cond ? then : else` (jsonata's evaluateCondition): no else and a false condition is undefined. */
import { type Ev, toBoolean } from './runtime'
import type { Compiler, Node } from './types'

export function compileCondition(node: Node, c: Compiler): Ev | undefined {
  const cond = c.compile(node.condition as Node)
  const then = c.compile(node.then as Node)
  const otherwise = node.else === undefined ? undefined : c.compile(node.else)
  if (!cond || !then || (node.else !== undefined && !otherwise)) return undefined
  return (input, env) => {
    if (toBoolean(cond(input, env))) return then(input, env)
    return otherwise ? otherwise(input, env) : undefined
  }
}
