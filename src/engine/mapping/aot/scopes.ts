/**
 * jsonata's frames as JavaScript locals. The root frame holds evaluate()'s bindings and `$$`; a
 * block, and each call of a lambda, opens a frame of its own, and `$x := …` binds in the frame it
 * runs in. So each (frame, name) bound in it is one local, declared where the frame opens with the
 * value the name had outside (a read before the binding sees that, as a frame lookup would, and a
 * lambda closes over the locals as it would over the frame).
 */
import type { Node } from '../compiler/types'
import type { Emitter } from './emitter'

/** A lambda bound once, unconditionally, in a block's frame: its calls can be written inline. */
export interface InlineLambda {
  lambda: Node
  /** The frame the lambda closes over, and its input (a JavaScript local visible to every call). */
  scope: Scope
  ctx: string
}

export class Scope {
  /** Names of this frame bound to a lambda that calls may inline (see Generator.block). */
  private readonly inlinable = new Map<string, InlineLambda>()

  private constructor(
    private readonly parent: Scope | undefined,
    private readonly vars: Map<string, string>,
    /** Root only: names read but bound nowhere, as locals read from `bindings` once. */
    private readonly free?: Map<string, string>,
  ) {}

  /** The root frame; its declarations are written by `declarations()` at the top of the function. */
  static root(binds: ReadonlySet<string>, e: Emitter): Scope {
    const scope = new Scope(undefined, new Map(), new Map())
    for (const name of binds) scope.vars.set(name, scope.freeLocal(name, e))
    return scope
  }

  private freeLocal(name: string, e: Emitter): string {
    let local = this.free!.get(name)
    if (!local) {
      local = e.local('b')
      this.free!.set(name, local)
    }
    return local
  }

  /** `let` lines for the root's locals (each starts as its evaluate() binding). */
  declarations(): string[] {
    return [...this.free!].map(([name, local]) => `let ${local} = R.bindingOf(bindings, ${JSON.stringify(name)})`)
  }

  /** A block's frame: declares its own names in `e`. */
  child(binds: ReadonlySet<string>, e: Emitter): Scope {
    const scope = new Scope(this, new Map())
    for (const name of binds) scope.vars.set(name, this.declareAsOutside(name, e))
    return scope
  }

  /** A local of a new frame for `name`, starting as the enclosing frame's value (finished if that is). */
  private declareAsOutside(name: string, e: Emitter): string {
    const outer = this.resolve(name, e)
    const local = e.local('v')
    e.line(`let ${local} = ${outer}`)
    if (e.isFinished(outer)) e.noteFinished(local)
    return local
  }

  /** A lambda call's frame: its parameters from `args` (whatever its caller passed), its other names as outside. */
  lambda(params: string[], binds: ReadonlySet<string>, e: Emitter): Scope {
    return this.frame(
      params,
      params.map((_, i) => `args[${i}]`),
      false,
      binds,
      e,
    )
  }

  /**
   * A call frame written inline: its parameters start as the argument values (undefined past the
   * last argument), each a value through jsonata's epilogue, its other names as outside.
   */
  inlined(params: string[], args: string[], binds: ReadonlySet<string>, e: Emitter): Scope {
    return this.frame(params, args, true, binds, e)
  }

  private frame(params: string[], args: string[], finishedArgs: boolean, binds: ReadonlySet<string>, e: Emitter): Scope {
    const scope = new Scope(this, new Map())
    params.forEach((name, i) => {
      const local = e.local('v')
      e.line(`let ${local} = ${args[i] ?? 'undefined'}`)
      if (finishedArgs || args[i] === undefined) e.noteFinished(local)
      scope.vars.set(name, local)
    })
    for (const name of binds) if (!scope.vars.has(name)) scope.vars.set(name, this.declareAsOutside(name, e))
    return scope
  }

  /** Marks `name`, bound in this frame, as holding `lambda` from here on. */
  holdsLambda(name: string, lambda: InlineLambda): void {
    this.inlinable.set(name, lambda)
  }

  /** The lambda a call of `$name` here is known to call, if its frame marked it. */
  lambdaOf(name: string): InlineLambda | undefined {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let s: Scope | undefined = this
    while (s) {
      if (s.vars.has(name)) return s.inlinable.get(name)
      s = s.parent
    }
    return undefined
  }

  /** The local a binding in this frame writes. */
  own(name: string): string {
    const local = this.vars.get(name)
    if (!local) throw new Error(`$${name} is not bound in this scope`)
    return local
  }

  /** The local a read of `$name` sees here. */
  resolve(name: string, e: Emitter): string {
    if (name === '$') return 'input'
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let s: Scope | undefined = this
    while (s) {
      const local = s.vars.get(name)
      if (local) return local
      if (!s.parent) return s.freeLocal(name, e)
      s = s.parent
    }
    throw new Error('unreachable')
  }
}

/** Names `:=` binds in the frame of `nodes` (not inside a nested block or lambda: frames of their own). */
export function bindsInScope(nodes: unknown[]): Set<string> {
  return new Set(bindCounts(nodes).keys())
}

/** How many `:=` of each name are written in the frame of `nodes`. */
export function bindCounts(nodes: unknown[]): Map<string, number> {
  const out = new Map<string, number>()
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) for (const n of node) walk(n)
    else if (node !== null && typeof node === 'object') {
      const n = node as Node
      if (n.type === 'block' || n.type === 'lambda') return
      if (n.type === 'bind' && n.lhs && !Array.isArray(n.lhs)) out.set(n.lhs.value as string, (out.get(n.lhs.value as string) ?? 0) + 1)
      for (const v of Object.values(n)) walk(v)
    }
  }
  walk(nodes)
  return out
}
