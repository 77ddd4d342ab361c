/**
 * The `normalized` format: strictly the unified schema — every field present (null when
 * unknown), no extra keys, timestamps in ISO-8601 UTC. Driven by the resource's zod schema, so a
 * new resource gets it for free.
 *
 * The `unified` format's one rule on absent values lives here too (completeRecord): a mapping
 * that leaves a field out (a JSONata expression with no value drops its key) and one that writes
 * `null` answer the same, every schema field present with null. Values are the mapping's own.
 */
import { z } from 'zod'
import type { UnifiedResource } from '../models/model-registry'
import { toIso } from '../engine/mapping/functions'

type Shape = Record<string, z.ZodType>

function unwrap(t: z.ZodType): z.ZodType {
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

/** Schema fields the mapping left out, as null, at every depth the schema describes; nothing else changes. */
function completeValue(type: z.ZodType, value: unknown): unknown {
  if (value === undefined) return null
  const inner = unwrap(type)
  if (inner instanceof z.ZodObject && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return completeObject(inner.shape as Shape, value as Record<string, unknown>)
  }
  if (inner instanceof z.ZodArray && Array.isArray(value)) return value.map((v) => completeValue(inner.element as z.ZodType, v))
  return value
}

function completeObject(shape: Shape, record: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined
  for (const [key, type] of Object.entries(shape)) {
    const own = Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined
    const done = completeValue(type, own)
    if (done === own) continue
    // Copied only when something changes: records are often cached pages shared across requests.
    out ??= { ...record }
    out[key] = done
  }
  return out ?? record
}

/** A `unified` record with every schema field present: null where the mapping gave no value. */
export function completeRecord(resource: UnifiedResource, record: Record<string, unknown>): Record<string, unknown> {
  return completeObject(resource.schema.shape as Shape, record)
}
