/**
 * Compiles each JSONata mapping file once and evaluates it with the contract's bindings
 * (`response`, `query`, `rawQuery`, `context`, `headers`, plus `sideload` and `id`).
 * A response mapping runs once per vendor page, never once per record.
 *
 * Files are also compiled to synchronous closures (./compiler) with jsonata's exact semantics:
 * stock jsonata's evaluate is async at every step and costs 25–135× hand-written code. A file
 * using anything the compiler does not cover stays on jsonata; a compiled evaluation that throws
 * is re-run on jsonata, so its answers and its errors (message, position) are jsonata's.
 *
 * Ahead of that, the mapping files the generator covers (./aot) run as JavaScript generated from
 * the same AST at build (mappings.generated.js, bundled for Node and Workers): used for a file only
 * while its text is exactly the one the code was generated from, else the file runs on closures.
 * Expressions supplied any other way (tests, tools) keep the closures.
 */
import jsonata from 'jsonata'
import { ApiError } from '../../lib/http-errors'
import type { Logger } from '../../lib/logger'
import { GENERATED_MAPPINGS, type GeneratedMapping } from './aot/mappings.generated'
import { type CompiledMapping, compileMapping, type RegisteredFunction } from './compiler'
import { MAPPING_FUNCTIONS } from './functions'
import type { MappingSource } from './mapping-source'

type Expression = ReturnType<typeof jsonata>

export interface MappingInput {
  response?: unknown
  query?: Record<string, unknown>
  rawQuery?: Record<string, unknown>
  context?: Record<string, unknown>
  headers?: Record<string, string>
  sideload?: Record<string, unknown>
  id?: string
  [key: string]: unknown
}

export class MappingError extends ApiError {
  constructor(
    status: number,
    code: string,
    message: string,
    readonly position?: number,
  ) {
    super(status, code, message)
  }
}

export function compileExpression(text: string, file = '<expression>'): Expression {
  let expr: Expression
  try {
    expr = jsonata(text)
  } catch (err) {
    const e = err as { message: string; position?: number; token?: string }
    throw new MappingError(
      500,
      'mapping_error',
      `Mapping ${file} does not compile at position ${e.position ?? '?'}: ${e.message}`,
      e.position,
    )
  }
  for (const f of MAPPING_FUNCTIONS) expr.registerFunction(f.name, f.impl as (...args: unknown[]) => unknown, f.signature)
  return expr
}

export async function evaluateExpression(expr: Expression, input: MappingInput, file = '<expression>'): Promise<unknown> {
  try {
    return await expr.evaluate(input)
  } catch (err) {
    const e = err as { message: string; position?: number }
    throw new MappingError(502, 'mapping_error', `Mapping ${file} failed at position ${e.position ?? '?'}: ${e.message}`, e.position)
  }
}

const REGISTERED: ReadonlyMap<string, RegisteredFunction> = new Map(
  MAPPING_FUNCTIONS.map((f) => [f.name, { impl: f.impl, signature: f.signature }]),
)

/**
 * A mapping file compiled both ways: `fast` is the generated code when there is some for this
 * exact text, else the closures, else undefined (jsonata only); `closures` says whether the closure
 * compiler covers it.
 */
interface LoadedMapping {
  expr: Expression
  fast: CompiledMapping | undefined
  closures?: boolean
  generated?: boolean
}

/** Closures for an expression's AST, or undefined when it uses something only jsonata runs. */
export function compileFast(expr: Expression): CompiledMapping | undefined {
  return compileMapping(expr.ast(), REGISTERED)
}

/** Evaluates with the compiled closures when there are some, else (or if they throw) with jsonata. */
export async function evaluateFast(loaded: LoadedMapping, input: MappingInput, file: string): Promise<unknown> {
  if (loaded.fast) {
    try {
      return loaded.fast(input)
    } catch {
      // jsonata gives the answer, or the exact error, for whatever the closures stepped aside from.
    }
  }
  return evaluateExpression(loaded.expr, input, file)
}

export class MappingEngine {
  private readonly compiled = new Map<string, Promise<LoadedMapping>>()

  constructor(
    private readonly source: MappingSource,
    private readonly logger?: Logger,
    /** Generated code per path under mappings/ (the build's, by default). */
    private readonly generated: Readonly<Record<string, GeneratedMapping>> = GENERATED_MAPPINGS,
  ) {}

  private load(path: string): Promise<LoadedMapping> {
    let p = this.compiled.get(path)
    if (!p) {
      p = this.source.read(path).then((text) => {
        if (text === undefined) throw new MappingError(500, 'mapping_missing', `Mapping file mappings/${path} does not exist`)
        const expr = compileExpression(text, `mappings/${path}`)
        const closures = compileFast(expr)
        const code = Object.prototype.hasOwnProperty.call(this.generated, path) ? this.generated[path] : undefined
        const generated = code !== undefined && code.text === text
        const evaluator = generated ? 'generated' : closures ? 'closures' : 'jsonata'
        this.logger?.debug('mapping compiled', { file: `mappings/${path}`, evaluator })
        return { expr, fast: generated ? code.evaluate : closures, closures: closures !== undefined, generated }
      })
      // A failed compile is not cached: fixing the file fixes the next request.
      p.catch(() => this.compiled.delete(path))
      this.compiled.set(path, p)
    }
    return p
  }

  async has(path: string): Promise<boolean> {
    return (await this.source.read(path)) !== undefined
  }

  async evaluate(path: string, input: MappingInput): Promise<unknown> {
    return evaluateFast(await this.load(path), input, `mappings/${path}`)
  }

  /** The compiled expression (for tools that inspect its AST, e.g. the support matrix). */
  async expression(path: string): Promise<Expression> {
    return (await this.load(path)).expr
  }

  /** Which evaluator a file runs on: 'closures' (compiled) or 'jsonata' (fallback), for tests and the bench. */
  async evaluator(path: string): Promise<'closures' | 'jsonata'> {
    return (await this.load(path)).closures ? 'closures' : 'jsonata'
  }

  /** Whether the file runs on its generated code (covered, and its text unchanged since generation). */
  async runsGeneratedCode(path: string): Promise<boolean> {
    return (await this.load(path)).generated === true
  }
}
