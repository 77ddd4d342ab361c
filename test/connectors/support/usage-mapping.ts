/** Vendor usage responses through their usage mapping files, as the list engine evaluates them. */
import { MappingEngine } from '../../../src/engine/mapping/mapping-engine'
import { fileMappingSource } from '../../../src/runtime/node/mapping-files'

const engine = new MappingEngine(fileMappingSource())

/** The unified usage records `mappings/usage-metering/usage/<file>` makes of one vendor page. */
export async function mapUsage(file: string, response: unknown, context: Record<string, unknown> = {}): Promise<unknown[]> {
  const out = await engine.evaluate(`usage-metering/usage/${file}`, {
    response,
    context,
    query: {},
    rawQuery: {},
    headers: {},
    sideload: {},
    page: { last: true },
  })
  // As the gateway serves them: JSON (jsonata's result sequences carry extra properties).
  const list = out === undefined ? [] : Array.isArray(out) ? out : [out]
  return JSON.parse(JSON.stringify(list)) as unknown[]
}

/** Which evaluator the file runs on ('closures' when compiled, as every mapping must be). */
export const evaluatorOf = (file: string) => engine.evaluator(`usage-metering/usage/${file}`)
