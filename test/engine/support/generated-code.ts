/**
 * The generator's code for one expression, made into a function for tests: the same text the
 * generated module holds, instantiated here with `new Function` (tests only; the module itself is
 * plain code the bundlers include), and compared with stock jsonata.
 */
import type { CompiledMapping } from '../../../src/engine/mapping/compiler'
import { ConstantPool } from '../../../src/engine/mapping/aot/emitter'
import { generateExpression } from '../../../src/engine/mapping/aot/module-text'
import * as R from '../../../src/engine/mapping/aot/runtime'
import { compileExpression } from '../../../src/engine/mapping/mapping-engine'

export function instantiate(text: string): CompiledMapping | undefined {
  const pool = new ConstantPool()
  const fn = generateExpression(text, pool)
  if (!fn) return undefined
  return new Function('R', `${pool.declarations().join('\n')}\nreturn ${fn}`)(R) as CompiledMapping
}

export type Outcome = { ok: true; json: string | undefined } | { ok: false; message: string }

export async function outcome(f: () => unknown): Promise<Outcome> {
  try {
    return { ok: true, json: JSON.stringify(await f()) }
  } catch (err) {
    return { ok: false, message: (err as Error).message }
  }
}

/** Stock jsonata's outcome and the generated code's (which may step aside by throwing). */
export async function compareGenerated(
  text: string,
  input: unknown,
  generated: CompiledMapping,
  bindings?: Record<string, unknown>,
  expr = compileExpression(text),
): Promise<{ stock: Outcome; generated: Outcome }> {
  return {
    stock: await outcome(() => expr.evaluate(input, bindings)),
    generated: await outcome(() => generated(input, bindings)),
  }
}
