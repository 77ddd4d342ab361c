/**
 * Differential checks of the closure compiler against stock jsonata 2.2.2: the same expression
 * and input through both, compared by JSON.stringify (and by which of them threw). A compiled
 * evaluation that steps aside (throws) is allowed: the engine then answers with jsonata, so what
 * the caller gets is compared too.
 */
import { vi } from 'vitest'
import { compileExpression, compileFast, evaluateFast, MappingEngine, type MappingInput } from '../../../src/engine/mapping/mapping-engine'

type Outcome = { ok: true; json: string | undefined } | { ok: false; message: string }

export interface Comparison {
  /** Stock jsonata's outcome. */
  stock: Outcome
  /** The compiled closures' own outcome (undefined when the expression does not compile). */
  compiled?: Outcome
  /** What the engine hands back (closures, or jsonata when they stepped aside). */
  engine: Outcome
}

async function outcome(f: () => unknown): Promise<Outcome> {
  try {
    return { ok: true, json: JSON.stringify(await f()) }
  } catch (err) {
    return { ok: false, message: (err as Error).message }
  }
}

export function compileBoth(text: string) {
  const expr = compileExpression(text)
  return { expr, fast: compileFast(expr) }
}

export async function compare(text: string, input: unknown, both = compileBoth(text)): Promise<Comparison> {
  const stock = await outcome(() => both.expr.evaluate(input))
  const compiled = both.fast ? await outcome(() => both.fast!(input)) : undefined
  const engine = await outcome(() => evaluateFast(both, input as MappingInput, '<expression>'))
  // evaluateFast wraps jsonata's errors in a MappingError: compare jsonata's own message inside it.
  if (!engine.ok && !stock.ok && engine.message.endsWith(stock.message)) engine.message = stock.message
  return { stock, compiled, engine }
}

/** Every (file, input) the MappingEngine evaluates while this is installed, up to `cap` per file. */
export function recordMappingInputs(cap = 300): Map<string, unknown[]> {
  const seen = new Map<string, unknown[]>()
  const original = MappingEngine.prototype.evaluate
  vi.spyOn(MappingEngine.prototype, 'evaluate').mockImplementation(function (this: MappingEngine, path: string, input: MappingInput) {
    const list = seen.get(path) ?? []
    if (list.length < cap) list.push(input)
    seen.set(path, list)
    return original.call(this, path, input)
  })
  return seen
}
