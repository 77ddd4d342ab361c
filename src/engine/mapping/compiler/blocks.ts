/**
 * Blocks `( a; b )`, bindings `$x := …` and lambdas `function($a) { … }`: ports of jsonata's
 * evaluateBlock (a new variable frame per evaluation, last value wins), evaluateBindExpression
 * (binds in the current frame, yields the value) and evaluateLambda (closes over the frame and
 * the context it was defined in).
 */
import { type Ev, Frame, Lambda } from './runtime'
import type { Compiler, Node } from './types'

export function compileBlock(node: Node, c: Compiler): Ev | undefined {
  const exprs: Ev[] = []
  for (const e of node.expressions ?? []) {
    const ev = c.compile(e)
    if (!ev) return undefined
    exprs.push(ev)
  }
  return (input, env) => {
    const frame = new Frame(env, env.run)
    let result: unknown
    for (const ev of exprs) result = ev(input, frame)
    return result
  }
}

export function compileBind(node: Node, c: Compiler): Ev | undefined {
  const name = (node.lhs as Node).value as string
  const rhs = c.compile(node.rhs as Node)
  if (!rhs) return undefined
  return (input, env) => {
    const value = rhs(input, env)
    env.bind(name, value)
    return value
  }
}

export function compileLambda(node: Node, c: Compiler): Ev | undefined {
  // A signature validates (and coerces) arguments: left to jsonata.
  if (node.signature !== undefined) return undefined
  const params = (node.arguments ?? []).map((a) => a.value as string)
  const body = c.compile(node.body as Node)
  if (!body) return undefined
  return (input, env) => new Lambda(params, body, input, env)
}
