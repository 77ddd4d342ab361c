/**
 * The value model of compiled mappings: the same one stock jsonata uses (arrays flagged as
 * sequences, `keepSingleton`, `outerWrapper`, `cons`), so every intermediate value, and therefore
 * every result, is what jsonata would have built. Helpers here are synchronous ports of
 * jsonata 2.2.2's own (utils.js / functions.js), kept line-for-line where semantics hinge on it.
 */

/**
 * Thrown when compiled code meets a case it does not reproduce (a type error, an odd argument):
 * the caller then asks stock jsonata, which answers or throws its own exact error.
 */
export class Fallback extends Error {
  constructor(why: string) {
    super(why)
  }
}

export function fallback(why: string): never {
  throw new Fallback(why)
}

export type Seq = unknown[] & { sequence?: boolean; keepSingleton?: boolean; outerWrapper?: boolean; tupleStream?: boolean; cons?: boolean }

/** jsonata's createSequence: a plain array with an enumerable `sequence` flag. */
export function createSequence(...items: unknown[]): Seq {
  const s: Seq = []
  s.sequence = true
  if (items.length === 1) s.push(items[0])
  return s
}

export function isSequence(v: unknown): v is Seq {
  return Array.isArray(v) && (v as Seq).sequence === true
}

/** The tail of jsonata's `evaluate`: a sequence of none is undefined, of one is its item (unless kept). */
export function finish(result: unknown, keepArray: boolean): unknown {
  if (result && isSequence(result) && !result.tupleStream) {
    if (keepArray) result.keepSingleton = true
    if (result.length === 0) return undefined
    if (result.length === 1) return result.keepSingleton ? result : result[0]
  }
  return result
}

/** Variable scope, as jsonata's createFrame: a block or a lambda call opens one. */
export class Frame {
  private readonly vars: Record<string, unknown> = Object.create(null)
  constructor(
    readonly parent: Frame | undefined,
    readonly run: RunState,
  ) {}

  bind(name: string, value: unknown): void {
    this.vars[name] = value
  }

  lookup(name: string): unknown {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let f: Frame | undefined = this
    while (f) {
      if (Object.prototype.hasOwnProperty.call(f.vars, name)) return f.vars[name]
      f = f.parent
    }
    return undefined
  }
}

/** Per-evaluation state: jsonata fixes `$millis()` / `$now()` once per evaluate call. */
export interface RunState {
  timestamp: number
}

export type Ev = (input: unknown, env: Frame) => unknown

/** A `function($a, $b) { … }` value: body evaluated against the context it was defined in. */
export class Lambda {
  constructor(
    readonly params: string[],
    readonly body: Ev,
    readonly input: unknown,
    readonly env: Frame,
  ) {}

  call(args: unknown[]): unknown {
    const frame = new Frame(this.env, this.env.run)
    for (let i = 0; i < this.params.length; i++) frame.bind(this.params[i], args[i])
    let result = this.body(this.input, frame)
    // jsonata's apply() trampoline: a call in tail position comes back unevaluated.
    while (result instanceof Thunk) result = result.run()
    return result
  }
}

/**
 * A call in tail position of a lambda body (jsonata's parser marks it `thunk`): run by the
 * caller, and its value is NOT unwrapped as a call node's value would be, exactly as in jsonata.
 */
export class Thunk {
  constructor(readonly run: () => unknown) {}
}

/** utils.isFunction, which also takes data objects carrying jsonata's own function flags. */
export function isFunction(v: unknown): boolean {
  // Scalars first: most values asked about are strings and numbers.
  if (v === null || typeof v !== 'object') return typeof v === 'function'
  return v instanceof Lambda || isFlagged(v)
}

/** An object carrying jsonata's own function flags (vendor data can). */
function isFlagged(v: object): boolean {
  const flags = v as { _jsonata_function?: unknown; _jsonata_lambda?: unknown }
  return flags._jsonata_function === true || flags._jsonata_lambda === true
}

/**
 * jsonata wraps every function argument in a closure of the function's arity: an object that only
 * carries jsonata's function flags (vendor data) has none, and jsonata fails on it. Left to it.
 */
export function checkArguments(values: unknown[]): void {
  for (let i = 0; i < values.length; i++) checkArgument(values[i])
}

/** One argument as checkArguments checks it. */
export function checkArgument(v: unknown): void {
  if (v !== null && typeof v === 'object' && !(v instanceof Lambda) && isFlagged(v))
    fallback('data flagged as a function passed to a function')
}

/** The symbol jsonata's signature validator gives a value (m: missing). */
export function symbolOf(v: unknown): string {
  if (isFunction(v)) return 'f'
  switch (typeof v) {
    case 'string':
      return 's'
    case 'number':
      return 'n'
    case 'boolean':
      return 'b'
    case 'object':
      return v === null ? 'l' : Array.isArray(v) ? 'a' : 'o'
    default:
      return 'm'
  }
}

/** utils.isNumeric: an infinite number is jsonata's D1001 error, left to jsonata. */
export function isNumeric(n: unknown): n is number {
  if (typeof n !== 'number') return false
  if (Number.isNaN(n)) return false
  if (!Number.isFinite(n)) fallback('D1001 infinite number')
  return true
}

export function isArrayOfNumbers(arg: unknown): boolean {
  if (!Array.isArray(arg)) return false
  for (const item of arg) if (!isNumeric(item)) return false
  return true
}

/** fn.boolean: jsonata's effective boolean value (undefined stays undefined). */
export function toBoolean(arg: unknown): boolean | undefined {
  if (typeof arg === 'boolean') return arg
  if (arg === undefined) return undefined
  if (Array.isArray(arg)) {
    if (arg.length === 1) return toBoolean(arg[0])
    if (arg.length > 1) {
      for (const v of arg) if (toBoolean(v)) return true
    }
    return false
  }
  if (typeof arg === 'string') return arg.length > 0
  if (isNumeric(arg)) return arg !== 0
  if (arg !== null && typeof arg === 'object' && !isFunction(arg)) return Object.keys(arg).length > 0
  return arg === true
}

/** utils.isDeepEqual. */
export function isDeepEqual(lhs: unknown, rhs: unknown): boolean {
  if (lhs === rhs) return true
  if (typeof lhs === 'object' && typeof rhs === 'object' && lhs !== null && rhs !== null) {
    if (Array.isArray(lhs) && Array.isArray(rhs)) {
      if (lhs.length !== rhs.length) return false
      for (let i = 0; i < lhs.length; i++) if (!isDeepEqual(lhs[i], rhs[i])) return false
      return true
    }
    const lkeys = Object.getOwnPropertyNames(lhs).sort()
    const rkeys = Object.getOwnPropertyNames(rhs).sort()
    if (lkeys.length !== rkeys.length) return false
    for (let i = 0; i < lkeys.length; i++) if (lkeys[i] !== rkeys[i]) return false
    for (const k of lkeys) if (!isDeepEqual((lhs as Record<string, unknown>)[k], (rhs as Record<string, unknown>)[k])) return false
    return true
  }
  return false
}

/** fn.lookup: a field of an object, or of every object in an array (flattened one level). */
export function lookupField(input: unknown, key: string): unknown {
  if (Array.isArray(input)) {
    const result = createSequence()
    for (const item of input) {
      const res = lookupField(item, key)
      if (res !== undefined) {
        if (Array.isArray(res)) for (const v of res) result.push(v)
        else result.push(res)
      }
    }
    return result
  }
  if (input !== null && typeof input === 'object' && Object.prototype.hasOwnProperty.call(input, key) && !isFunction(input)) {
    return (input as Record<string, unknown>)[key]
  }
  return undefined
}

/** fn.append (array constructor and $append). */
export function append(arg1: unknown, arg2: unknown): unknown {
  if (arg1 === undefined) return arg2
  if (arg2 === undefined) return arg1
  const a1 = Array.isArray(arg1) ? arg1 : createSequence(arg1)
  const a2 = Array.isArray(arg2) ? arg2 : [arg2]
  return a1.concat(a2)
}

/** fn.string: strings as they are, anything else as JSON with numbers at 15 significant digits. */
export function toJsonataString(arg: unknown): string | undefined {
  if (arg === undefined) return undefined
  if (typeof arg === 'string') return arg
  if (typeof arg === 'number') {
    // jsonata throws D3001 ("Attempting to invoke string function on Infinity or NaN") for
    // both; stock jsonata is asked so the caller gets its exact error.
    if (!Number.isFinite(arg)) fallback('D3001 NaN or infinite number')
    // What JSON.stringify gives a finite number after the replacer's 15-digit rounding.
    return String(Number.isInteger(arg) ? arg : Number(arg.toPrecision(15)))
  }
  if (typeof arg === 'boolean' || arg === null) return String(arg)
  if (isFunction(arg)) return ''
  const value = Array.isArray(arg) && (arg as Seq).outerWrapper ? arg[0] : arg
  return JSON.stringify(value, (_key, val) => {
    if (val !== undefined && val !== null && isNumeric(val)) {
      return !Number.isInteger(val) ? Number(val.toPrecision(15)) : val
    }
    return val && isFunction(val) ? '' : val
  })
}
