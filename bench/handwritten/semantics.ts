import { nameParts } from '../../src/engine/mapping/functions'

/**
 * The few JSONata rules a hand-written mapper must follow to give byte-identical output: the
 * effective boolean of a value (`x ? a : b`) and `$string` of numbers.
 */

/** JSONata's effective boolean (`$boolean`): '', 0, null, [], {} and undefined are false. */
export function truthy(v: unknown): boolean {
  if (v === undefined || v === null) return false
  if (typeof v === 'boolean') return v
  if (typeof v === 'string') return v.length > 0
  if (typeof v === 'number') return v !== 0
  if (Array.isArray(v)) return v.some(truthy)
  if (typeof v === 'function') return false
  return Object.keys(v as object).length > 0
}

/** `$string(x)` for the scalars vendors send as ids. */
export function jsonataString(v: unknown): string | undefined {
  if (v === undefined) return undefined
  if (typeof v === 'string') return v
  if (typeof v === 'number') return String(Number.isInteger(v) ? v : Number(v.toPrecision(15)))
  return JSON.stringify(v)
}

/** A JSON object (not an array, not null). */
export const isObject = (v: unknown): v is Record<string, any> => v !== null && typeof v === 'object' && !Array.isArray(v)

/** The first item of a side load (`sideload.x[0]`). */
export const first = (items: unknown): Record<string, any> | undefined =>
  Array.isArray(items) ? items[0] : (items as Record<string, any> | undefined)

/** `$lookup(obj, key)` on a join table. */
export const lookup = (table: Record<string, unknown>, key: unknown): unknown => (typeof key === 'string' ? table[key] : undefined)

/**
 * The fields most user mappings open with: `"id"`, `"name"`, `$nameParts(name)`, and `email`/`role`
 * as one-item lists (`email ? [{…}] : []`), in that order.
 */
export function personFields(u: Record<string, any>, id: unknown = u.id) {
  const parts = nameParts(u.name)
  return {
    id,
    name: u.name,
    first_name: parts.first,
    last_name: parts.last,
    emails: truthy(u.email) ? [{ email: u.email, is_primary: true }] : [],
    roles: truthy(u.role) ? [{ id: u.role, name: u.role }] : [],
  }
}
