/**
 * Compiles each JSONata mapping file once and evaluates it with the contract's bindings
 * (`response`, `query`, `rawQuery`, `context`, `headers`, plus `sideload` and `id`).
 * A response mapping runs once per vendor page, never once per record.
 */
import jsonata from 'jsonata'
import { ApiError } from '../../lib/http-errors'
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
  constructor(status: number, code: string, message: string, readonly position?: number) {
    super(status, code, message)
  }
}

export function compileExpression(text: string, file = '<expression>'): Expression {
  let expr: Expression
  try {
    expr = jsonata(text)
  } catch (err) {
    const e = err as { message: string; position?: number; token?: string }
    throw new MappingError(500, 'mapping_error', `Mapping ${file} does not compile at position ${e.position ?? '?'}: ${e.message}`, e.position)
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

export class MappingEngine {
  private readonly compiled = new Map<string, Promise<Expression>>()

  constructor(private readonly source: MappingSource) {}

  private load(path: string): Promise<Expression> {
    let p = this.compiled.get(path)
    if (!p) {
      p = this.source.read(path).then((text) => {
        if (text === undefined) throw new MappingError(500, 'mapping_missing', `Mapping file mappings/${path} does not exist`)
        return compileExpression(text, `mappings/${path}`)
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
    return evaluateExpression(await this.load(path), input, `mappings/${path}`)
  }

  /** The compiled expression (for tools that inspect its AST, e.g. the support matrix). */
  expression(path: string): Promise<Expression> {
    return this.load(path)
  }
}
