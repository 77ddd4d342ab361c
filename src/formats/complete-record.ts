/**
 * The `unified` format's one rule on absent values: a mapping that leaves a field out (a JSONata
 * expression with no value drops its key) and one that writes `null` answer the same, every
 * schema field present with null, at every depth the schema describes. Values are the mapping's own.
 *
 * The schema is read once, into a tree of closures (one per object or array the schema holds),
 * not walked per record: on the list path the walk cost more than a tenth of the gateway's CPU
 * (issue 16). Plans are cached by schema identity; a schema that refers to itself gets the same
 * closure back instead of being built forever.
 */
import { z } from 'zod'
import { unwrap } from './normalize'

type Shape = Record<string, z.ZodType>

/** Completes a value that is present (not undefined); null stands for "kept as it is". */
type FieldCompleter = ((value: unknown) => unknown) | null

export type RecordCompleter = (record: Record<string, unknown>) => Record<string, unknown>

const hasOwn = Object.prototype.hasOwnProperty

function completeField(field: FieldCompleter, value: unknown): unknown {
  if (value === undefined) return null
  return field === null ? value : field(value)
}

/**
 * A copy of the record's own properties, in their order, key by key into a plain object. The
 * mapping builds records without a prototype, which V8 keeps as dictionaries: spreading one costs
 * about three times this copy (issue 16), and the copy, an ordinary object with a shared shape, is
 * what JSON.stringify reads fastest. Nor is an ordinary record spread: a spread copy that then
 * gets a field (the completion's nulls) made V8 promote a stream export's short-lived pages to
 * the old generation, about 1 MB per scavenge (issue 16, target 6), and the key-by-key copy does not.
 */
function copyOf(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  // for…in lists the own enumerable keys first, in a spread's order, without an array of them
  // per record; an inherited one (a polluted prototype) is not copied, as a spread does not copy it.
  for (const key in record) {
    if (!hasOwn.call(record, key)) continue
    // An own `__proto__` key stays a plain property, as a spread keeps it.
    if (key === '__proto__') Object.defineProperty(out, key, { value: record[key], writable: true, enumerable: true, configurable: true })
    else out[key] = record[key]
  }
  return out
}

/** The record with its missing schema fields as null; the record itself when none is missing. */
function fieldsCompleter(keys: readonly string[], fields: readonly FieldCompleter[]): RecordCompleter {
  return (record) => {
    let out: Record<string, unknown> | undefined
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]
      const value = record[key]
      // An inherited value (a polluted prototype, a field named like an Object method) is not the mapping's.
      const own = value === undefined || hasOwn.call(record, key) ? value : undefined
      const done = completeField(fields[i], own)
      if (done === own) continue
      // Copied only when something changes: records are often cached pages shared across requests.
      out ??= copyOf(record)
      out[key] = done
    }
    return out ?? record
  }
}

/** Elements completed one by one; a copy only when one changes (holes stay holes, as `map` keeps them). */
function arrayCompleter(element: FieldCompleter): (list: unknown[]) => unknown[] {
  return (list) => {
    let out: unknown[] | undefined
    for (let i = 0; i < list.length; i++) {
      const value = list[i]
      if (value === undefined && !(i in list)) continue
      const done = completeField(element, value)
      if (done === value) continue
      out ??= list.slice()
      out[i] = done
    }
    return out ?? list
  }
}

const objectCompleters = new WeakMap<z.ZodObject, RecordCompleter>()

function objectCompleter(schema: z.ZodObject): RecordCompleter {
  const cached = objectCompleters.get(schema)
  if (cached) return cached
  const keys: string[] = []
  const fields: FieldCompleter[] = []
  const complete = fieldsCompleter(keys, fields)
  // Cached before its fields are built, so a schema nested in itself finds this closure.
  objectCompleters.set(schema, complete)
  for (const [key, type] of Object.entries(schema.shape as Shape)) {
    keys.push(key)
    fields.push(fieldCompleter(type))
  }
  return complete
}

function fieldCompleter(type: z.ZodType): FieldCompleter {
  const inner = unwrap(type)
  if (inner instanceof z.ZodObject) {
    const complete = objectCompleter(inner)
    // A value of another kind than the schema says is the mapping's, and kept.
    return (value) =>
      value !== null && typeof value === 'object' && !Array.isArray(value) ? complete(value as Record<string, unknown>) : value
  }
  if (inner instanceof z.ZodArray) {
    const complete = arrayCompleter(fieldCompleter(inner.element as z.ZodType))
    return (value) => (Array.isArray(value) ? complete(value) : value)
  }
  return null
}

/** The completer of records of `schema`, built on first use and kept as long as the schema lives. */
export function recordCompleter(schema: z.ZodObject): RecordCompleter {
  return objectCompleter(schema)
}
