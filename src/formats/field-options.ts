/**
 * The contract's field options, applied in its order: truto_ignore_remote_data, then
 * truto_exclude_fields (top-level or dotted paths), then truto_key_by.
 */
import { badRequest } from '../lib/http-errors'

export interface FieldOptions {
  ignoreRemoteData: boolean
  excludeFields: string[]
}

function removePath(record: Record<string, unknown>, path: string[]): void {
  const [head, ...rest] = path
  if (!Object.prototype.hasOwnProperty.call(record, head)) return
  if (rest.length === 0) {
    delete record[head]
    return
  }
  const child = record[head]
  if (Array.isArray(child)) {
    for (const item of child) if (item && typeof item === 'object') removePath(item as Record<string, unknown>, rest)
  } else if (child && typeof child === 'object') {
    removePath(child as Record<string, unknown>, rest)
  }
}

export function applyFieldOptions<T extends Record<string, unknown>>(record: T, options: FieldOptions): T {
  if (!options.ignoreRemoteData && options.excludeFields.length === 0) return record
  const copy = { ...record }
  if (options.ignoreRemoteData) delete copy.remote_data
  for (const field of options.excludeFields) {
    if (field.includes('.')) {
      // Nested removal must not touch the caller's objects: copy the branch first.
      const top = field.split('.')[0]
      if (copy[top] !== undefined) (copy as Record<string, unknown>)[top] = structuredClone(copy[top])
    }
    removePath(copy, field.split('.'))
  }
  return copy
}

/** `result` as an object keyed by a field of each record (truto_key_by). */
export function keyRecordsBy(records: Record<string, unknown>[], field: string): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const r of records) {
    const key = r[field]
    if (key === undefined || key === null || typeof key === 'object') {
      throw badRequest('invalid_key_by', `truto_key_by=${field}: some records have no usable "${field}" value to key by`)
    }
    out[String(key)] = r
  }
  return out
}
