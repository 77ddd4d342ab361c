/**
 * The contract's field options, applied in its order: truto_ignore_remote_data, then
 * truto_exclude_fields (top-level or dotted paths), then truto_key_by.
 *
 * Field names come from the caller, so only a record's own properties are ever followed:
 * `constructor.x`, `toString.x` or `__proto__.x` name nothing in a record (unless the vendor's
 * JSON really has such a key) and must never reach Object.prototype or a function.
 */
import { badRequest } from '../lib/http-errors'
import { getPath } from '../lib/object-path'

export interface FieldOptions {
  ignoreRemoteData: boolean
  excludeFields: string[]
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object'

/** Sets an own property, even `__proto__` (an assignment would set the prototype instead). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true })
}

/**
 * `value` without `path`, copied along the branch it changes and shared elsewhere: the caller's
 * objects (cached vendor pages, side-loads) are never modified. Arrays apply the path to each item.
 */
function withoutPath(value: unknown, path: readonly string[]): unknown {
  if (Array.isArray(value)) return value.map((item) => withoutPath(item, path))
  if (!isObject(value)) return value
  const [head, ...rest] = path
  if (!Object.prototype.hasOwnProperty.call(value, head)) return value
  // Spread copies own properties as data properties, an own `__proto__` key included.
  const copy: Record<string, unknown> = { ...value }
  if (rest.length === 0) delete copy[head]
  else setOwn(copy, head, withoutPath(value[head], rest))
  return copy
}

export function applyFieldOptions<T extends Record<string, unknown>>(record: T, options: FieldOptions): T {
  if (!options.ignoreRemoteData && options.excludeFields.length === 0) return record
  let out: Record<string, unknown> = record
  if (options.ignoreRemoteData) out = withoutPath(out, ['remote_data']) as Record<string, unknown>
  for (const field of options.excludeFields) out = withoutPath(out, field.split('.')) as Record<string, unknown>
  return out as T
}

/** A truto_key_by answer: the lookup table and how many records a later one with the same key replaced. */
interface KeyedRecords {
  result: Record<string, unknown>
  collisions: number
}

/** Response header naming how many records truto_key_by dropped because a later record had the same key. */
const KEY_BY_COLLISIONS_HEADER = 'x-unimeter-key-by-collisions'

/**
 * `result` as an object keyed by a field of each record (truto_key_by; a dotted path such as
 * `organization.id` follows own properties, as truto_exclude_fields does). Records that share a key
 * keep the last one, as an object built from the list does (Truto documents no other rule), and the
 * number replaced is counted so the caller can say so. Without a prototype, so a record whose key is
 * `__proto__` is keyed like any other (JSON output is the same).
 */
export function keyRecordsBy(records: Record<string, unknown>[], field: string): KeyedRecords {
  const result: Record<string, unknown> = Object.create(null)
  let collisions = 0
  for (const r of records) {
    const key = getPath(r, field)
    if (key === undefined || key === null || typeof key === 'object') {
      throw badRequest('invalid_key_by', `truto_key_by=${field}: some records have no usable "${field}" value to key by`)
    }
    if (Object.prototype.hasOwnProperty.call(result, String(key))) collisions++
    result[String(key)] = r
  }
  return { result, collisions }
}

/** The response header for a keyed answer: present only when records collided. */
export function keyByHeaders(keyed: KeyedRecords | null): Record<string, string> {
  return keyed && keyed.collisions > 0 ? { [KEY_BY_COLLISIONS_HEADER]: String(keyed.collisions) } : {}
}
