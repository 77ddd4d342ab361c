/**
 * The per-record schema walk the `unified` format used before issue 16, verbatim: the reference
 * src/formats/complete-record.ts is checked against (test/core/complete-record.test.ts) and
 * timed against (bench/probes/complete-records.ts). Not used by the gateway.
 */
import { z } from 'zod'
import { unwrap } from '../../src/formats/normalize'

type Shape = Record<string, z.ZodType>

function referenceValue(type: z.ZodType, value: unknown): unknown {
  if (value === undefined) return null
  const inner = unwrap(type)
  if (inner instanceof z.ZodObject && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return referenceObject(inner.shape as Shape, value as Record<string, unknown>)
  }
  if (inner instanceof z.ZodArray && Array.isArray(value)) return value.map((v) => referenceValue(inner.element as z.ZodType, v))
  return value
}

export function referenceObject(shape: Shape, record: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined
  for (const [key, type] of Object.entries(shape)) {
    const own = Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined
    const done = referenceValue(type, own)
    if (done === own) continue
    out ??= { ...record }
    out[key] = done
  }
  return out ?? record
}
