/**
 * Ahead-of-time JavaScript for a mapping file: the same jsonata 2.2.2 AST the closure compiler
 * reads, written out as straight-line code (property reads, loops over path steps, object
 * literals, `if` for conditions) that calls the closure compiler's own helpers (./runtime) for
 * jsonata's value model. It covers a subset of what the closures cover: an expression the closures
 * do not compile, or with a node written here as Unsupported, gets no generated code (the file
 * stays on the closures, and they on stock jsonata).
 *
 * Variables are JavaScript locals, one per (scope, name): a block or a lambda call is a scope, as
 * jsonata's frames are; a scope's own names start as the enclosing scope's value, so a read
 * before the binding sees the outer one, as a frame lookup would. Every node gets jsonata's
 * evaluate() epilogue (predicates, then singleton unwrapping), skipped where it cannot change the
 * value.
 */
import { boundNames, compileMapping, type RegisteredFunction } from '../compiler'
import { type Builtin, BUILTINS, JSONATA_FUNCTION_NAMES } from '../compiler/builtins'
import { distinctLiteralKeys } from '../compiler/constructors'
import type { Node } from '../compiler/types'
import { type ConstantPool, Emitter, Unsupported } from './emitter'
import { bindCounts, bindsInScope, type InlineLambda, Scope } from './scopes'

/**
 * What a generated value is known to be: `plain` never a sequence (the epilogue leaves it as it
 * is), `finished` already through an epilogue, `raw` anything.
 */
type Kind = 'plain' | 'finished' | 'raw'
interface Value {
  code: string
  kind: Kind
  /** Known to be defined and not a function. */
  defined?: boolean
  /** Known not to be an object (a scalar or a constructed array): never data flagged as a function. */
  unflagged?: boolean
  /** Known to be a boolean or undefined: its truth is itself (no toBoolean). */
  bool?: boolean
}

const lit = (v: unknown) => JSON.stringify(v)

class Generator {
  readonly bound: ReadonlySet<string>
  /** Lambdas whose bodies are being written inline now (a recursive call is a real call). */
  private readonly inlining = new Set<Node>()
  /**
   * Whether a tail call (a `thunk` node) is written as the call itself: inside a body written
   * inline, whose value is the call's own as jsonata's trampoline would give it.
   */
  private directTail = false
  /** Direct tail calls written so far whose answer may not have been through the epilogue. */
  private unfinishedTails = 0
  /** Locals holding an inlined call's answer known to have been through the epilogue. */
  private readonly finishedCalls = new Set<string>()
  /** Context locals that hold one value for as long as they are in scope (consts and parameters). */
  private readonly stable = new Set<string>(['ctx'])
  /** An object constructor's data local → its stable context (the same value unless an array). */
  private readonly dataOf = new Map<string, string>()

  constructor(
    private readonly pool: ConstantPool,
    private readonly registered: ReadonlyMap<string, RegisteredFunction>,
    root: Node,
  ) {
    this.bound = boundNames(root, new Set())
  }

  /** A node with jsonata's epilogue: predicates, then the singleton rule. */
  node(n: Node, ctx: string, s: Scope, e: Emitter): Value {
    if (n.group !== undefined || n.focus !== undefined || n.index !== undefined || n.tuple) throw new Unsupported('grouping or tuple')
    const keepArray = n.keepArray === true
    const predicates = n.predicate ?? []
    if (predicates.length === 0 && !keepArray) {
      const fused = this.fieldRead(n, ctx, e)
      if (fused) return fused
    }
    const core = this.core(n, ctx, s, e)
    if (predicates.length === 0 && (core.kind === 'plain' || (core.kind === 'finished' && !keepArray))) return core
    const t = e.local()
    e.line(`let ${t} = ${core.code}`)
    for (const p of predicates) this.filter(p, t, s, e)
    e.line(`${t} = R.finish(${t}, ${keepArray})`)
    return { code: t, kind: 'finished' }
  }

  /**
   * A field name, or a relative path of plain names, with its epilogue in one runtime call that
   * reads plain data objects directly (and falls back to the general code for anything else).
   * Reads written out at each site (property loads of their own) measured slower: 0.77–0.96× in
   * A/B rounds (BENCHMARKS.md, issue 16 target 2, fourth round).
   */
  private fieldRead(n: Node, ctx: string, e: Emitter): Value | undefined {
    if (n.type === 'name') return this.readOnce(e, ctx, [n.value as string], `R.nameValue(${ctx}, ${lit(n.value)})`)
    if (n.type !== 'path' || n.group !== undefined || n.tuple || n.keepSingletonArray === true) return undefined
    const steps = n.steps ?? []
    if (
      steps.length === 0 ||
      !steps.every(isPlainName) ||
      steps.some((x) => x.consarray || x.focus !== undefined || x.index !== undefined || x.tuple || x.ancestor !== undefined)
    )
      return undefined
    const rest = this.pool.name(lit(steps.slice(1).map((x) => x.value)))
    // A one-name path (not a name node: over an array it differs) is keyed apart from the name.
    const key = ['', ...steps.map((x) => x.value as string)]
    return this.readOnce(e, ctx, key, `R.pathValue(${ctx}, ${lit(steps[0].value)}, ${rest})`)
  }

  /**
   * A field read (`code`, keyed by `key`) of a context that never changes: read again where an
   * earlier read of the same field of the same context is in scope, it is that value (the data
   * is never written to) unless that is an array: a sequence the reader built may be flagged by
   * a later use (keepSingleton), so an array is read afresh.
   */
  private readOnce(e: Emitter, ctx: string, key: string[], code: string): Value {
    if (!this.stable.has(ctx)) return this.let(e, code, 'finished')
    const id = (c: string) => JSON.stringify([c, ...key])
    const before = e.readBefore(id(ctx))
    if (before) return this.let(e, `Array.isArray(${before}) ? ${code} : ${before}`, 'finished')
    // An object constructor's data is its context itself whenever that is not an array.
    const outer = this.dataOf.get(ctx)
    const outerBefore = outer && e.readBefore(id(outer))
    const v = outerBefore
      ? this.let(e, `${ctx} === ${outer} && !Array.isArray(${outerBefore}) ? ${outerBefore} : ${code}`, 'finished')
      : this.let(e, code, 'finished')
    e.noteRead(id(ctx), v.code)
    return v
  }

  /** One predicate applied to the value in `t` (jsonata's evaluateFilter). */
  private filter(p: { type: string; expr: Node }, t: string, s: Scope, e: Emitter): void {
    if (p.type !== 'filter') throw new Unsupported(`${p.type} stage`)
    if (p.expr.type === 'number') {
      e.line(`${t} = R.pickIndex(${t}, ${Math.floor(p.expr.value as number)})`)
      return
    }
    const list = e.local('l')
    const out = e.local('o')
    const i = e.local('i')
    const item = this.stableLocal(e, 'c')
    e.line(`const ${list} = Array.isArray(${t}) ? ${t} : R.createSequence(${t})`)
    e.line(`const ${out} = R.createSequence()`)
    e.block(`for (let ${i} = 0; ${i} < ${list}.length; ${i}++)`, () => {
      e.line(`const ${item} = ${list}[${i}]`)
      const test = this.node(p.expr, item, s, e)
      e.line(`R.keepIf(${out}, ${item}, ${i}, ${list}.length, ${test.code})`)
    })
    e.line(`${t} = ${out}`)
  }

  private core(n: Node, ctx: string, s: Scope, e: Emitter): Value {
    switch (n.type) {
      case 'string':
      case 'number':
      case 'value':
        return { code: lit(n.value), kind: 'plain', defined: true, unflagged: true }
      case 'name':
        return this.let(e, `R.lookupField(${ctx}, ${lit(n.value)})`, 'raw')
      case 'variable':
        return this.variable(n, ctx, s, e)
      case 'path':
        return this.path(n, ctx, s, e)
      case 'binary':
        return this.binary(n, ctx, s, e)
      case 'unary':
        if (n.value === '-') return this.let(e, `R.negate(${this.node(n.expression as Node, ctx, s, e).code})`, 'plain')
        if (n.value === '[') return this.array(n, ctx, s, e)
        if (n.value === '{') return this.object(n, ctx, s, e)
        throw new Unsupported(`unary ${String(n.value)}`)
      case 'condition':
        return this.condition(n, ctx, s, e)
      case 'block':
        return this.block(n, ctx, s, e)
      case 'bind': {
        const value = this.node(n.rhs as Node, ctx, s, e)
        const local = s.own((n.lhs as Node).value as string)
        e.line(`${local} = ${value.code}`)
        e.noteFinished(local)
        return { code: value.code, kind: 'finished' }
      }
      case 'function': {
        const builtin = this.builtinCalled(n)
        const answers = builtin?.answers
        const called = this.call(n, ctx, s, e)
        const v = this.let(e, called, answers ? 'plain' : this.finishedCalls.has(called) ? 'finished' : 'raw')
        const always = answers === 'exists' || answers === 'count'
        return { ...v, bool: answers === 'boolean' || answers === 'exists', defined: always, unflagged: builtin?.scalar === true }
      }
      case 'lambda':
        return n.thunk === true ? this.tailCall(n, ctx, s, e) : this.lambda(n, ctx, s, e)
      default:
        throw new Unsupported(n.type)
    }
  }

  /** A fresh local that, once set, holds its value while in scope (a const or a parameter). */
  private stableLocal(e: Emitter, base: string): string {
    const local = e.local(base)
    this.stable.add(local)
    return local
  }

  private let(e: Emitter, code: string, kind: Kind): Value {
    const t = e.local()
    e.line(`const ${t} = ${code}`)
    return { code: t, kind }
  }

  /** A variable's value as read now (a later `:=` in the same expression must not change it). */
  private variable(n: Node, ctx: string, s: Scope, e: Emitter): Value {
    const name = n.value as string
    if (name === '') return this.let(e, `R.contextValue(${ctx})`, 'raw')
    if (JSONATA_FUNCTION_NAMES.has(name) || this.registered.has(name)) throw new Unsupported('function as a value')
    const local = s.resolve(name, e)
    // A value through the epilogue on every path here, and every one written later too: as it is.
    return this.let(e, local, e.isFinished(local) ? 'finished' : 'raw')
  }

  private binary(n: Node, ctx: string, s: Scope, e: Emitter): Value {
    const op = n.value as string
    const lhs = this.node(n.lhs as Node, ctx, s, e)
    if (op === 'and' || op === 'or') {
      const t = e.local()
      e.line(`let ${t} = ${boolized(lhs)}`)
      e.block(op === 'and' ? `if (${t})` : `if (!${t})`, () => {
        e.line(`${t} = ${boolized(this.node(n.rhs as Node, ctx, s, e))}`)
      })
      return { code: t, kind: 'plain', defined: true, unflagged: true, bool: true }
    }
    const rhs = this.node(n.rhs as Node, ctx, s, e)
    const [l, r] = [lhs.code, rhs.code]
    switch (op) {
      case '+':
      case '-':
      case '*':
      case '/':
      case '%':
        return this.let(e, `${this.pool.name(`R.numeric(${lit(op)})`)}(${l}, ${r})`, 'plain')
      case '=':
      case '!=': {
        const test = `R.isDeepEqual(${l}, ${r})`
        // Against a literal (a string, number, boolean or null, never undefined), isDeepEqual is `===`.
        const [value, constant] = isLiteral(n.rhs as Node) ? [l, r] : isLiteral(n.lhs as Node) ? [r, l] : []
        const code =
          constant === undefined
            ? `${l} === undefined || ${r} === undefined ? false : ${op === '=' ? test : `!${test}`}`
            : op === '='
              ? `${value} === ${constant}`
              : `${value} !== undefined && ${value} !== ${constant}`
        return { ...this.let(e, code, 'plain'), defined: true, unflagged: true, bool: true }
      }
      case '<':
      case '<=':
      case '>':
      case '>=':
        return { ...this.let(e, `${this.pool.name(`R.comparison(${lit(op)})`)}(${l}, ${r})`, 'plain'), bool: true }
      case '&':
        return { ...this.let(e, `R.concat(${l}, ${r})`, 'plain'), defined: true, unflagged: true }
      case 'in':
        return { ...this.let(e, `R.includes(${l}, ${r})`, 'plain'), defined: true, unflagged: true, bool: true }
      default:
        throw new Unsupported(`operator ${op}`)
    }
  }

  private condition(n: Node, ctx: string, s: Scope, e: Emitter): Value {
    const t = e.local()
    e.line(`let ${t}`)
    const cond = this.node(n.condition as Node, ctx, s, e)
    let then: Value | undefined
    let otherwise: Value | undefined
    e.block(`if (${truth(cond)})`, () => {
      then = this.node(n.then as Node, ctx, s, e)
      e.line(`${t} = ${then.code}`)
    })
    if (n.else !== undefined)
      e.block('else', () => {
        otherwise = this.node(n.else as Node, ctx, s, e)
        e.line(`${t} = ${otherwise.code}`)
      })
    // Both branches always give a value that is not a function: so does the condition.
    return { code: t, kind: 'finished', defined: then?.defined === true && otherwise?.defined === true }
  }

  private block(n: Node, ctx: string, s: Scope, e: Emitter): Value {
    const exprs = n.expressions ?? []
    if (exprs.length === 0) return { code: 'undefined', kind: 'plain' }
    const t = e.local()
    e.line(`let ${t}`)
    e.block('', () => {
      const counts = bindCounts(exprs)
      const inner = s.child(new Set(counts.keys()), e)
      for (const [i, x] of exprs.entries()) {
        const v = this.node(x, ctx, inner, e)
        if (i === exprs.length - 1) e.line(`${t} = ${v.code}`)
        // `$f := function…` as a statement of the block, and no other `$f :=` in its frame: from
        // here on, until the block ends, `$f` holds that lambda, so its calls can be inlined.
        const name = (x.lhs as Node | undefined)?.value as string
        if (x.type === 'bind' && counts.get(name) === 1 && isInlinable(x.rhs as Node))
          inner.holdsLambda(name, { lambda: x.rhs as Node, scope: inner, ctx })
      }
    })
    return { code: t, kind: 'finished' }
  }

  /** The jsonata standard function a call node calls, if it calls one (what it answers: see Builtin). */
  private builtinCalled(n: Node): Builtin | undefined {
    const name = n.procedure?.type === 'variable' ? (n.procedure.value as string) : undefined
    if (name === undefined || this.bound.has(name) || this.registered.has(name) || !JSONATA_FUNCTION_NAMES.has(name)) return undefined
    return BUILTINS[name]
  }

  /** The arguments, evaluated left to right, then the call (no epilogue: the caller's). */
  private call(n: Node, ctx: string, s: Scope, e: Emitter): string {
    const proc = n.procedure
    if (!proc || proc.type !== 'variable') throw new Unsupported('call of an expression')
    const name = proc.value as string
    // A bound name is looked up before its arguments are evaluated, as in the closures.
    const known = this.bound.has(name) ? s.lambdaOf(name) : undefined
    if (known && !this.inlining.has(known.lambda)) return this.inlineCall(known, n.arguments ?? [], ctx, s, e)
    const fn = this.bound.has(name) ? this.let(e, s.resolve(name, e), 'raw').code : undefined
    if (!fn && !this.registered.has(name) && name === 'each' && n.arguments?.length === 2 && isIdentity(n.arguments[1])) {
      const obj = this.node((n.arguments ?? [])[0], ctx, s, e)
      if (!obj.unflagged) e.line(`R.checkArgument(${obj.code})`)
      return `R.eachValue(${obj.code})`
    }
    const values = (n.arguments ?? []).map((a) => this.node(a, ctx, s, e))
    const args = values.map((v) => v.code)
    const list = `[${args.join(', ')}]`
    if (fn) return `R.callLambda(${fn}, ${list})`
    // A literal, an operator's result or a constructed array is never a function: no check.
    const checked = (check: string) => {
      for (const v of values) if (!v.unflagged) e.line(`${check}(${v.code})`)
    }
    const registered = this.registered.get(name)
    // Without a signature (nothing to check but functions and promises): no array, called here.
    if (registered && registered.signature === undefined && args.length >= 1) {
      checked('R.notFunction')
      return `R.synchronous(${this.pool.name(`R.registeredImpl(${lit(name)})`)}(${args.join(', ')}))`
    }
    if (registered) return `${this.pool.name(`R.registered(${lit(name)}, ${args.length})`)}(${list})`
    const builtin = BUILTINS[name]
    if (!builtin || !JSONATA_FUNCTION_NAMES.has(name)) throw new Unsupported(`$${name}`)
    if (args.length < builtin.min || args.length > builtin.max) throw new Unsupported(`$${name} arity`)
    checked('R.checkArgument')
    if (builtin.one && args.length === 1) return `${this.pool.name(`R.builtinOne(${lit(name)})`)}(${args[0]})`
    if (builtin.two && args.length === 2) return `${this.pool.name(`R.builtinTwo(${lit(name)})`)}(${args[0]}, ${args[1]})`
    return `${this.pool.name(`R.builtinImpl(${lit(name)})`)}(${list}, run)`
  }

  /**
   * A call of a lambda known at this site, written inline: its arguments (checked as callLambda
   * checks them), then its body in a frame of its own over the frame it closes over, with its tail
   * calls made directly (what jsonata's trampoline would do). No Lambda call, argument array or
   * thunk; the value is the call's, before the call node's epilogue.
   */
  private inlineCall(known: InlineLambda, argNodes: Node[], ctx: string, s: Scope, e: Emitter): string {
    const args = argNodes.map((a) => {
      const v = this.node(a, ctx, s, e)
      if (!v.unflagged) e.line(`R.checkArgument(${v.code})`)
      return v.code
    })
    const params = (known.lambda.arguments ?? []).map((a) => a.value as string)
    const body = known.lambda.body as Node
    const t = e.local()
    e.line(`let ${t}`)
    const direct = this.directTail
    const tails = this.unfinishedTails
    this.inlining.add(known.lambda)
    this.directTail = true
    e.block('', () => {
      const scope = known.scope.inlined(params, args, bindsInScope([body]), e)
      e.line(`${t} = ${this.node(body, known.ctx, scope, e).code}`)
    })
    this.directTail = direct
    this.inlining.delete(known.lambda)
    // The body's value is through the epilogue unless a tail call's answer is not (see tailCall).
    if (this.unfinishedTails === tails) this.finishedCalls.add(t)
    return t
  }

  /** A call in tail position of a lambda body: run by the lambda's caller, not unwrapped. */
  private tailCall(n: Node, ctx: string, s: Scope, e: Emitter): Value {
    const body = n.body as Node
    if (this.directTail) {
      // Not unwrapped here (kind plain), as the trampoline would not: noted when it may need it.
      const called = this.call(body, ctx, s, e)
      if (this.builtinCalled(body)?.answers === undefined && !this.finishedCalls.has(called)) this.unfinishedTails++
      return this.let(e, called, 'plain')
    }
    if (body?.type !== 'function' || body.predicate || body.keepArray || bindsInScope([body]).size > 0)
      throw new Unsupported('tail call shape')
    const fn = e.nested((inner) => inner.line(`return ${this.call(body, ctx, s, inner)}`))
    return this.let(e, `new R.Thunk(() => ${fn})`, 'plain')
  }

  private lambda(n: Node, ctx: string, s: Scope, e: Emitter): Value {
    // A signature validates (and coerces) arguments: left to the closures, and they to jsonata.
    if (n.signature !== undefined) throw new Unsupported('signature')
    const params = (n.arguments ?? []).map((a) => a.value as string)
    const direct = this.directTail
    this.directTail = false
    const body = e.nested((inner) => {
      const scope = s.lambda(params, bindsInScope([n.body as Node]), inner)
      inner.line(`return ${this.node(n.body as Node, ctx, scope, inner).code}`)
    })
    this.directTail = direct
    return { ...this.let(e, `new R.CodeLambda(${lit(params)}, (args) => ${body})`, 'plain'), defined: false }
  }

  private array(n: Node, ctx: string, s: Scope, e: Emitter): Value {
    const t = e.local('a')
    e.line(`const ${t} = []`)
    for (const item of n.expressions ?? []) {
      const v = this.node(item, ctx, s, e)
      // A value known to be there and not an array (or a nested constructor's array) is one item.
      if (v.defined && v.kind === 'plain') e.line(`${t}.push(${v.code})`)
      else e.line(`R.addItem(${t}, ${v.code}, ${item.value === '['})`)
    }
    if (n.consarray === true) e.line(`R.markCons(${t})`)
    return { code: t, kind: 'plain', defined: true, unflagged: true }
  }

  private object(n: Node, ctx: string, s: Scope, e: Emitter): Value {
    const pairs = (n.lhs ?? []) as Array<[Node, Node]>
    const keys = distinctLiteralKeys(n)
    const t = e.local('r')
    if (!keys || keys.includes('__proto__')) {
      const fn = (x: Node) => {
        const g = this.stableLocal(e, 'g')
        return `(${g}) => ${e.nested((inner) => inner.line(`return ${this.node(x, g, s, inner).code}`))}`
      }
      e.line(`const ${t} = R.groupObject(${ctx}, [${pairs.map(([k, v]) => `[${fn(k)}, ${fn(v)}]`).join(', ')}])`)
      return { code: t, kind: 'plain', defined: true }
    }
    // Distinct literal keys: every group holds every input item, so each value sees the same data.
    const data = this.stableLocal(e, 'd')
    if (this.stable.has(ctx)) this.dataOf.set(data, ctx)
    e.line(`const ${data} = Array.isArray(${ctx}) ? R.groupData(${ctx}) : ${ctx}`)
    const values = pairs.map(([, v]) => this.node(v, data, s, e))
    // When every value is there (always, or as it turns out), one object literal with the keys in
    // order; else the keys whose values are always there, then the others that are, in order.
    const entries = (count: number) => keys.slice(0, count).map((k, i) => `${lit(k)}: ${values[i].code}`)
    const unknown = values.filter((v) => !v.defined).map((v) => v.code)
    if (unknown.length === 0) {
      e.line(`const ${t} = { ${entries(keys.length).join(', ')} }`)
      return { code: t, kind: 'plain', defined: true }
    }
    e.line(`let ${t}`)
    e.block(`if (${unknown.map((v) => `${v} !== undefined`).join(' && ')})`, () => {
      e.line(`if (${unknown.map((v) => `${v} instanceof R.Lambda`).join(' || ')}) R.fallback('function value in an object')`)
      e.line(`${t} = { ${entries(keys.length).join(', ')} }`)
    })
    e.block('else', () => {
      let fixed = 0
      while (fixed < values.length && values[fixed].defined) fixed++
      e.line(`${t} = { ${entries(fixed).join(', ')} }`)
      for (let i = fixed; i < values.length; i++) {
        const v = values[i]
        if (v.defined) {
          e.line(`${t}[${lit(keys[i])}] = ${v.code}`)
          continue
        }
        e.line(`if (${v.code} instanceof R.Lambda) R.fallback('function value in an object')`)
        e.line(`if (${v.code} !== undefined) ${t}[${lit(keys[i])}] = ${v.code}`)
      }
    })
    return { code: t, kind: 'plain', defined: true }
  }

  private path(n: Node, ctx: string, s: Scope, e: Emitter): Value {
    const steps = n.steps ?? []
    if (steps.length === 0 || n.group !== undefined || n.tuple) throw new Unsupported('path shape')
    for (const step of steps)
      if (step.type === 'sort' || step.tuple || step.focus !== undefined || step.index !== undefined || step.ancestor !== undefined)
        throw new Unsupported('path step')
    const keepSingleton = n.keepSingletonArray === true
    const chain = simpleChain(steps)
    const t = e.local('p')
    if (chain && !keepSingleton) {
      const rest = this.pool.name(lit(chain))
      if (steps[0].type === 'name') return this.let(e, `R.namePath(${ctx}, ${lit(steps[0].value)}, ${rest})`, 'raw')
      if (steps[0].type === 'variable') return this.let(e, `R.chainFrom(${this.node(steps[0], ctx, s, e).code}, ${rest})`, 'raw')
      // `$f(x).b`, `(…).b` over a single value: its first step, then property reads (the closures'
      // singleValueFirst, the value the general loop gives); over an array, the general loop.
      e.line(`let ${t}`)
      e.block(`if (!Array.isArray(${ctx}))`, () => e.line(`${t} = R.chainFrom(${this.node(steps[0], ctx, s, e).code}, ${rest})`))
      e.block('else', () => this.generalPath(steps, ctx, t, s, e))
      return { code: t, kind: 'raw' }
    }
    e.line(`let ${t}`)
    this.generalPath(steps, ctx, t, s, e)
    if (keepSingleton) e.line(`${t} = R.keepSingletonResult(${t})`)
    return { code: t, kind: 'raw' }
  }

  /** evaluatePath from its input sequence into `t`. */
  private generalPath(steps: Node[], ctx: string, t: string, s: Scope, e: Emitter): void {
    const absolute = steps[0].type === 'variable'
    const input = absolute ? `R.createSequence(${ctx})` : `Array.isArray(${ctx}) ? ${ctx} : R.createSequence(${ctx})`
    const seq = e.local('q')
    e.line(`let ${seq} = ${input}`)
    this.stepsOver(steps, seq, t, s, e)
  }

  /** evaluatePath's loop: each step maps over the sequence in `seq`; an empty result ends the path. */
  private stepsOver(steps: Node[], seq: string, t: string, s: Scope, e: Emitter): void {
    const label = e.local('L')
    e.block(`${label}:`, () => {
      for (const [k, step] of steps.entries()) {
        const last = k === steps.length - 1
        const names = steps.slice(k)
        if (k > 0 && names.every(isPlainName)) {
          const keys = this.pool.name(lit(names.map((x) => x.value)))
          e.line(`${t} = R.nameSteps(${seq}, ${keys}, 1, ${t})`)
          return
        }
        if (k === 0 && step.consarray === true) {
          e.line(`${t} = ${this.node(step, seq, s, e).code}`)
          e.line(`if (${t} === undefined || ${t}.length === 0) break ${label}`)
        } else {
          const out = e.local('o')
          const i = e.local('i')
          const item = this.stableLocal(e, 'c')
          e.line(`const ${out} = []`)
          e.block(`for (let ${i} = 0; ${i} < ${seq}.length; ${i}++)`, () => {
            e.line(`const ${item} = ${seq}[${i}]`)
            const v = this.node(step, item, s, e)
            if (step.stages?.length) {
              const r = e.local()
              e.line(`let ${r} = ${v.code}`)
              for (const stage of step.stages) this.filter(stage, r, s, e)
              e.line(`if (${r} !== undefined) ${out}.push(${r})`)
            } else {
              e.line(`if (${v.code} !== undefined) ${out}.push(${v.code})`)
            }
          })
          e.line(`${t} = R.collect(${out}, ${last})`)
          if (!last) e.line(`if (${t}.length === 0) break ${label}`)
        }
        if (!last) e.line(`${seq} = ${t}`)
      }
    })
  }
}

/**
 * A lambda whose calls can be written inline: no signature (its checks and coercions stay with the
 * closures) and no predicate, `[]` or grouping on the path its tail calls take out of the body (so
 * the value a direct tail call gives goes out as the trampoline's would).
 */
function isInlinable(n: Node | undefined): boolean {
  return n?.type === 'lambda' && n.thunk !== true && n.signature === undefined && plainNode(n) && plainTail(n.body as Node)
}

function plainNode(n: Node): boolean {
  return (
    !n.predicate?.length &&
    !n.stages?.length &&
    !n.keepArray &&
    n.group === undefined &&
    n.focus === undefined &&
    n.index === undefined &&
    !n.tuple
  )
}

function plainTail(n: Node): boolean {
  if (!plainNode(n)) return false
  if (n.type === 'condition') return plainTail(n.then as Node) && (n.else === undefined || plainTail(n.else as Node))
  if (n.type === 'block') {
    const exprs = n.expressions ?? []
    return exprs.length === 0 || plainTail(exprs[exprs.length - 1])
  }
  return true
}

/** A string, number, boolean or null written in the expression (never undefined, never an object). */
const isLiteral = (n: Node) => (n.type === 'string' || n.type === 'number' || n.type === 'value') && plainNode(n)

/** A value's truth as jsonata's toBoolean gives it (a known boolean or undefined is its own). */
const truth = (v: Value) => (v.bool ? v.code : `R.toBoolean(${v.code})`)

/** A value's truth as `and`/`or` take it: always a boolean. */
const boolized = (v: Value) => (v.bool ? (v.defined ? v.code : `${v.code} === true`) : `R.boolize(${v.code})`)

/** `function($v) { $v }`: a lambda that gives back its one argument as a variable read does. */
function isIdentity(n: Node | undefined): boolean {
  const body = n?.body
  return (
    n?.type === 'lambda' &&
    n.thunk !== true &&
    n.signature === undefined &&
    n.arguments?.length === 1 &&
    body?.type === 'variable' &&
    body.value !== '' &&
    body.value === n.arguments[0].value &&
    plainNode(body)
  )
}

const isPlainName = (s: Node) => s.type === 'name' && !s.stages && !s.predicate && !s.keepArray && s.group === undefined

/** The closure compiler's simpleChain: names after a plain first step, or undefined. */
function simpleChain(steps: Node[]): string[] | undefined {
  const plain = (s: Node) => !s.stages && !s.predicate && !s.keepArray && s.group === undefined && !s.consarray
  if (!steps.every(plain) || steps[0].type === 'sort') return undefined
  if (!steps.slice(1).every((s) => s.type === 'name')) return undefined
  return steps.slice(1).map((s) => s.value as string)
}

/**
 * A function expression `function (input, bindings) { … }` evaluating `ast` as the closure
 * compiler's CompiledMapping does, or undefined when the closures or the generator do not cover it.
 */
export function generateMapping(ast: Node, registered: ReadonlyMap<string, RegisteredFunction>, pool: ConstantPool): string | undefined {
  if (!compileMapping(ast, registered)) return undefined
  const g = new Generator(pool, registered, ast)
  const e = new Emitter({ n: 0 })
  try {
    const root = Scope.root(bindsInScope([ast]), e)
    const v = g.node(ast, 'ctx', root, e)
    e.line(`return R.rootResult(${v.code})`)
    const head = ['const run = { timestamp: Date.now() }', 'const ctx = R.rootContext(input)', ...root.declarations()]
    return `function (input, bindings) {\n${head.map((l) => `  ${l}\n`).join('')}${e.text()}\n}`
  } catch (err) {
    if (err instanceof Unsupported) return undefined
    throw err
  }
}
