/**
 * The `normalized` format: strictly the unified schema — every field present (null when
 * unknown), no extra keys, timestamps in ISO-8601 UTC. Driven by the resource's zod schema, so a
 * new resource gets it for free. (The `unified` format's completion is complete-record.ts.)
 */
import { z } from 'zod'
import type { UnifiedResource } from '../models/model-registry'
import { toIso } from '../engine/mapping/functions'

type Shape = Record<string, z.ZodType>

/** The type inside nullable/optional/default wrappers. */
export function unwrap(t: z.ZodType): z.ZodType {
  let cur: z.ZodType = t
  // nullable/optional/default wrappers all expose the inner type through `unwrap()`.
  while (cur instanceof z.ZodNullable || cur instanceof z.ZodOptional || cur instanceof z.ZodDefault) {
    cur = (cur as unknown as { unwrap(): z.ZodType }).unwrap()
  }
  return cur
}

function normalizeValue(type: z.ZodType, value: unknown, isTimestamp: boolean): unknown {
  if (value === undefined || value === null) return null
  if (isTimestamp) return toIso(value) ?? null
  const inner = unwrap(type)
  if (inner instanceof z.ZodObject) {
    if (typeof value !== 'object' || Array.isArray(value)) return null
    return normalizeObject(inner.shape as Shape, value as Record<string, unknown>, new Set())
  }
  if (inner instanceof z.ZodArray) {
    if (!Array.isArray(value)) return null
    return value.map((v) => normalizeValue(inner.element as z.ZodType, v, false))
  }
  if (inner instanceof z.ZodString)
    return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : null
  if (inner instanceof z.ZodNumber) {
    const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN
    return Number.isFinite(n) ? n : null
  }
  if (inner instanceof z.ZodBoolean) return typeof value === 'boolean' ? value : null
  return value
}

function normalizeObject(shape: Shape, record: Record<string, unknown>, timestamps: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, type] of Object.entries(shape)) out[key] = normalizeValue(type, record[key], timestamps.has(key))
  return out
}

export function normalizeRecord(resource: UnifiedResource, record: Record<string, unknown>): Record<string, unknown> {
  return normalizeObject(resource.schema.shape as Shape, record, new Set(resource.timestampFields))
}
