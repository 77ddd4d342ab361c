/**
 * How a unified record is stored in the local copy: the unified JSON and remote_data apart, a
 * content hash over both (a different hash is a change, see contentHash), and `facets` — the values super-query
 * filters and sorts on, normalized once at write time (ISO-8601 UTC timestamps, lower-case
 * emails) so reads compare plain strings.
 */
import type { Sha256Hex } from '../crypto/digest'
import { toIso } from '../engine/mapping/functions'
import { getPath } from '../lib/object-path'
import type { UnifiedResource } from '../models/model-registry'

export type Facets = Record<string, string | string[] | null>

/**
 * Vendors rarely say when a user changed (every users mapping sets updated_at to null), but the
 * sync sees it: when the vendor gives none, the resource's change-time field (`changedAtField`)
 * is when the local copy last changed.
 */
type ChangeTime = Pick<UnifiedResource, 'changedAtField'>

export interface StoredParts {
  /** The record's key as stored (`record_id`): see recordKey. */
  id: string
  unified: Record<string, unknown>
  remoteData: unknown
}

type KeyPart = string | number

/**
 * The stored key of a record from the resource's `key` fields (dot paths), or undefined when
 * it has none usable (it cannot be tracked). A one-field key is that value as text, as records
 * were always stored; a composite key is the JSON array of its parts, where a part may be null
 * (a usage bucket without a user) but not every part.
 */
export function recordKey(resource: Pick<UnifiedResource, 'key'>, record: Record<string, unknown>): string | undefined {
  const parts: Array<KeyPart | null> = []
  for (const field of resource.key) {
    const v = getPath(record, field)
    if ((typeof v === 'string' && v !== '') || (typeof v === 'number' && Number.isFinite(v))) parts.push(v)
    else if ((v === null || v === undefined) && resource.key.length > 1) parts.push(null)
    else return undefined
  }
  if (parts.length === 1) return String(parts[0])
  return parts.every((p) => p === null) ? undefined : JSON.stringify(parts)
}

/** Splits a mapped record; undefined when it has no usable key (it cannot be tracked). */
export function splitRecord(resource: Pick<UnifiedResource, 'key'>, record: Record<string, unknown>): StoredParts | undefined {
  const id = recordKey(resource, record)
  if (id === undefined) return undefined
  // A spread copy keeps the record's shape (V8 clones it whole, where `{ remote_data, ...rest }`
  // copies key by key); `remote_data: undefined` is left out of its JSON, as everywhere it is stored.
  const unified = { ...record }
  unified.remote_data = undefined
  return { id, unified, remoteData: record.remote_data ?? null }
}

/** The record as served from the local copy: the change time the sync saw stands in for a missing one. */
export function withChangeTime(resource: ChangeTime, record: Record<string, unknown>, facets: Facets): Record<string, unknown> {
  const field = resource.changedAtField
  if (field && (record[field] === null || record[field] === undefined) && typeof facets[field] === 'string') record[field] = facets[field]
  return record
}

/**
 * JSON with object keys sorted, so equal content always hashes equal. Written as one string
 * builder rather than entries/filter/sort/map/join per object: it runs over every record of every
 * sync page, and its output must stay exactly what stored hashes were computed from.
 */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) {
    let out = '['
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + stableJson(value[i])
    return `${out}]`
  }
  const record = value as Record<string, unknown>
  const keys = Object.keys(record).sort()
  let out = '{'
  let first = true
  for (const k of keys) {
    const v = record[k]
    if (v === undefined) continue
    out += `${first ? '' : ','}${JSON.stringify(k)}:${stableJson(v)}`
    first = false
  }
  return `${out}}`
}

/** Marks a content hash over the record's JSON as mapped; one without it is over key-sorted JSON. */
const MAPPED_JSON_HASH = 'j:'

/**
 * The content hash: SHA-256 of the unified record's and its remote data's JSON, as mapped. It is
 * computed for every record of every page, so it is the engine's own JSON.stringify rather than
 * a key-sorted serialization: a mapping writes its fields in a fixed order, and a vendor answers
 * in the same order call after call (one that reorders an object's keys makes its records look
 * changed once). Hashes stored before, over stableJson, have no prefix and are still recognized
 * (matchesStoredHash).
 */
export async function contentHash(parts: StoredParts, sha256Hex: Sha256Hex, text = storedText(parts)): Promise<string> {
  // An object's JSON ends with its closing brace, so the two texts cannot run into each other.
  return MAPPED_JSON_HASH + (await sha256Hex(text.unified + text.remoteData))
}

/** A record's two JSON columns as stored, which are also what its content hash is over. */
export interface StoredText {
  unified: string
  remoteData: string
}

/** Serialized once per record: the hash and the row written (src/sync/prepared-record-writes.ts) share the text. */
export function storedText(parts: StoredParts): StoredText {
  return { unified: JSON.stringify(parts.unified), remoteData: JSON.stringify(parts.remoteData) }
}

/** Whether a stored hash is of the current form (contentHash's), which compares as it is. */
export const isCurrentHashForm = (stored: string): boolean => stored.startsWith(MAPPED_JSON_HASH)

/** Whether `stored`, of either form, is the hash of `parts`, whose contentHash is `hash`. */
export async function matchesStoredHash(stored: string, hash: string, parts: StoredParts, sha256Hex: Sha256Hex): Promise<boolean> {
  if (isCurrentHashForm(stored)) return stored === hash
  return stored === (await sha256Hex(stableJson({ u: parts.unified, r: parts.remoteData })))
}

/** Emails of a list (`emails: [{email}]`) or of one value (`user.email`), lower-cased. */
function emailsOf(value: unknown): string[] {
  const out: string[] = []
  for (const item of Array.isArray(value) ? value : [value]) {
    const email = typeof item === 'string' ? item : item && typeof item === 'object' ? (item as { email?: unknown }).email : undefined
    if (typeof email === 'string' && email) out.push(email.toLowerCase())
  }
  return out
}

/** Facets are named by the field's path (`surface`, `model.id`), which is also the filter's query key. */
export function computeFacets(resource: UnifiedResource, unified: Record<string, unknown>, changedAt: string): Facets {
  const facets: Facets = {}
  const spec = resource.filterable ?? {}
  for (const field of spec.equals ?? []) {
    const v = getPath(unified, field)
    facets[field] = v === null || v === undefined || typeof v === 'object' ? null : String(v)
  }
  if (spec.emails) facets[spec.emails] = emailsOf(getPath(unified, spec.emails))
  for (const field of spec.ranges ?? []) {
    const iso = toIso(getPath(unified, field)) ?? null
    facets[field] = iso ?? (field === resource.changedAtField ? changedAt : null)
  }
  return facets
}
