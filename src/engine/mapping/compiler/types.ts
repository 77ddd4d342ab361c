/** The shape of jsonata's processed AST (`jsonata(text).ast()`), as far as the compiler reads it. */
export interface Node {
  type: string
  value?: unknown
  position?: number
  steps?: Node[]
  stages?: Array<{ type: string; expr: Node }>
  predicate?: Array<{ type: string; expr: Node }>
  group?: unknown
  keepArray?: boolean
  keepSingletonArray?: boolean
  consarray?: boolean
  tuple?: boolean
  focus?: unknown
  index?: unknown
  ancestor?: unknown
  expressions?: Node[]
  lhs?: Node | Array<[Node, Node]>
  rhs?: Node
  expression?: Node
  condition?: Node
  then?: Node
  else?: Node
  procedure?: Node
  arguments?: Node[]
  body?: Node
  signature?: unknown
  thunk?: boolean
  [key: string]: unknown
}

import type { Ev } from './runtime'

/**
 * What a node compiler gets: a way to compile child nodes (the full evaluate, with predicates
 * and singleton unwrapping) and the names of functions registered on the engine.
 * Returning undefined means "not supported": the whole file then stays on stock jsonata.
 */
export interface Compiler {
  compile(node: Node): Ev | undefined
  registered: ReadonlyMap<string, RegisteredFunction>
  /** Names bound by `:=` or lambda parameters anywhere in the expression. */
  boundNames: ReadonlySet<string>
}

export interface RegisteredFunction {
  impl: (...args: never[]) => unknown
  signature?: string
}
