/**
 * Function calls `$f(a, b)`: jsonata's standard functions (builtins.ts), the engine's registered
 * functions (functions.ts) and lambdas bound with `:=`. Arguments are evaluated left to right
 * as in evaluateFunction; a lambda call goes through Lambda.call (frame, tail-call trampoline).
 */
import { BUILTINS, JSONATA_FUNCTION_NAMES } from './builtins'
import { checkArguments, type Ev, fallback, isFunction, Lambda, Thunk } from './runtime'
import { compileSignature } from './signatures'
import type { Compiler, Node } from './types'

/** The call without jsonata's per-node epilogue (predicates, unwrapping): index.ts adds it. */
export function compileCall(node: Node, c: Compiler): Ev | undefined {
  const proc = node.procedure
  if (!proc || proc.type !== 'variable') return undefined
  const name = proc.value as string
  const args: Ev[] = []
  for (const a of node.arguments ?? []) {
    const ev = c.compile(a)
    if (!ev) return undefined
    args.push(ev)
  }
  const evalArgs = (input: unknown, env: Parameters<Ev>[1]): unknown[] => {
    const values = new Array<unknown>(args.length)
    for (let i = 0; i < args.length; i++) values[i] = args[i](input, env)
    checkArguments(values)
    return values
  }

  if (c.boundNames.has(name)) {
    return (input, env) => {
      const fn = env.lookup(name)
      if (!(fn instanceof Lambda)) return fallback('call of a non-function')
      return fn.call(evalArgs(input, env))
    }
  }
  const registered = c.registered.get(name)
  if (registered) {
    const validate = compileSignature(registered.signature, args.length)
    if (!validate) return undefined
    const call = checkedCall(registered.impl as (...a: unknown[]) => unknown, validate)
    return (input, env) => call(evalArgs(input, env))
  }
  const builtin = BUILTINS[name]
  if (!builtin || !JSONATA_FUNCTION_NAMES.has(name)) return undefined
  if (args.length < builtin.min || args.length > builtin.max) return undefined
  return (input, env) => builtin.impl(evalArgs(input, env), env.run)
}

/** A registered function's implementation behind its argument checks. */
export function checkedCall(impl: (...a: unknown[]) => unknown, validate: (args: unknown[]) => void): (values: unknown[]) => unknown {
  return (values) => {
    // jsonata hands functions over as async closures (and takes objects flagged as its functions
    // for functions): left to it.
    for (const v of values) if (isFunction(v)) fallback('function passed to a registered function')
    validate(values)
    const result = impl(...values)
    if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function')
      fallback('async function')
    return result
  }
}

/** A tail call inside a lambda body: evaluated when the lambda's caller runs it. */
export function compileTailCall(node: Node, c: Compiler): Ev | undefined {
  const call = compileCall(node, c)
  if (!call) return undefined
  return (input, env) => new Thunk(() => call(input, env))
}
