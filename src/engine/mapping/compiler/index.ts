/**
 * Compiles a jsonata AST (`jsonata(text).ast()`) into nested synchronous closures with jsonata
 * 2.2.2's exact semantics, or returns undefined when the expression uses anything not covered
 * (the caller then keeps stock jsonata for the whole file). No eval / new Function: the same code
 * runs on Cloudflare Workers.
 *
 * Every node gets jsonata's evaluate() epilogue here: its predicates, then singleton unwrapping of
 * sequences (`keepArray` keeps a singleton as an array). Node families live in their own files.
 */
import { compileBind, compileBlock, compileLambda } from './blocks'
import { JSONATA_FUNCTION_NAMES } from './builtins'
import { compileCall, compileTailCall } from './calls'
import { compileCondition } from './conditions'
import { compileArray, compileObject } from './constructors'
import { compileFilters } from './filters'
import { compileBinary, compileUnaryMinus } from './operators'
import { compileName, compilePath, compileVariable } from './paths'
import { type Ev, Fallback, finish, Frame, Lambda, type Seq } from './runtime'
import type { Compiler, Node, RegisteredFunction } from './types'

export { Fallback } from './runtime'
export type { RegisteredFunction } from './types'

export type CompiledMapping = (input: unknown, bindings?: Record<string, unknown>) => unknown

function compileCore(node: Node, c: Compiler): Ev | undefined {
  switch (node.type) {
    case 'path':
      return compilePath(node, c)
    case 'name':
      return compileName(node)
    case 'variable':
      return compileVariable(node, c)
    case 'string':
    case 'number':
    case 'value': {
      const value = node.value
      return () => value
    }
    case 'binary':
      return compileBinary(node, c)
    case 'unary':
      if (node.value === '-') return compileUnaryMinus(node, c)
      if (node.value === '[') return compileArray(node, c)
      if (node.value === '{') return compileObject(node, c)
      return undefined
    case 'condition':
      return compileCondition(node, c)
    case 'block':
      return compileBlock(node, c)
    case 'bind':
      return compileBind(node, c)
    case 'function':
      return compileCall(node, c)
    case 'lambda':
      if (node.thunk === true) return node.body?.type === 'function' ? compileTailCall(node.body, c) : undefined
      return compileLambda(node, c)
    // wildcard, descendant, parent, regex, partial, apply (~>), transform, sort: stock jsonata.
    default:
      return undefined
  }
}

function compileNode(node: Node, c: Compiler): Ev | undefined {
  // Grouping (`x{…}`) on a non-path node and tuple/focus bindings are not compiled.
  if (node.group !== undefined || node.focus !== undefined || node.index !== undefined || node.tuple) return undefined
  const core = compileCore(node, c)
  if (!core) return undefined
  const filters = compileFilters(node.predicate, c)
  if (!filters) return undefined
  const keepArray = node.keepArray === true
  if (filters.length === 0) return (input, env) => finish(core(input, env), keepArray)
  return (input, env) => {
    let result = core(input, env)
    for (const f of filters) result = f(result, env)
    return finish(result, keepArray)
  }
}

/** Names bound anywhere by `:=` or as lambda parameters. */
export function boundNames(node: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(node)) for (const n of node) boundNames(n, out)
  else if (node !== null && typeof node === 'object') {
    const n = node as Node
    if (n.type === 'bind' && n.lhs && !Array.isArray(n.lhs)) out.add(n.lhs.value as string)
    if (n.type === 'lambda') for (const a of n.arguments ?? []) out.add(a.value as string)
    for (const v of Object.values(n)) if (v !== null && typeof v === 'object') boundNames(v, out)
  }
  return out
}

export function compileMapping(ast: unknown, registered: ReadonlyMap<string, RegisteredFunction>): CompiledMapping | undefined {
  const names = boundNames(ast, new Set())
  // `$string := …` would shadow a function the compiler calls directly.
  for (const n of names) if (JSONATA_FUNCTION_NAMES.has(n) || registered.has(n) || n === '$') return undefined
  const c: Compiler = { compile: (node) => compileNode(node, c), registered, boundNames: names }
  let root: Ev | undefined
  try {
    root = c.compile(ast as Node)
  } catch {
    return undefined
  }
  if (!root) return undefined
  const ev = root
  return (input, bindings) => {
    const run = { timestamp: Date.now() }
    const env = new Frame(undefined, run)
    for (const k of Object.keys(bindings ?? {})) env.bind(k, bindings![k])
    env.bind('$', input)
    let context = input
    // jsonata wraps a top-level array so that it is treated as one input.
    if (Array.isArray(input) && !(input as Seq).sequence) {
      const wrapper: Seq = [input]
      wrapper.sequence = true
      wrapper.outerWrapper = true
      context = wrapper
    }
    const result = ev(context, env)
    if (result instanceof Lambda) throw new Fallback('function result')
    return result
  }
}
