/**
 * Set-based writes that fit both databases. D1 allows only 100 bound parameters per statement,
 * so "one row, one statement" (or a handful of rows per multi-row VALUES) is what bounds bulk
 * writes there and, through query building and statement preparation, on better-sqlite3 too.
 * Instead a whole list of rows travels as ONE bound parameter — a JSON array — and the statement
 * reads it with `json_each`. A parameter is still a value with a size limit (D1: 2,000,000 bytes
 * per string), so lists are cut into arrays of at most D1_JSON_PARAM_MAX_BYTES UTF-8 bytes
 * (src/db/d1-limits.ts says why that budget).
 */
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm'
import { D1_JSON_PARAM_MAX_BYTES } from './d1-limits'

/** The UTF-8 size of `text` (JSON.stringify's output is well-formed: surrogates come in pairs). */
export function utf8Bytes(text: string): number {
  let bytes = text.length
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    // One code unit is 1 byte up to U+007F, 2 up to U+07FF, 3 beyond; a surrogate pair (2 units) is 4.
    if (c >= 0x80) bytes += c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 1 : 2
  }
  return bytes
}

/** An item whose JSON alone is larger than one array may be. */
export interface OversizedItem {
  index: number
  bytes: number
}

export interface JsonChunkPlan {
  /** JSON arrays of the items that fit, in order, each at most `maxBytes` UTF-8 bytes. */
  chunks: string[]
  /** Items left out because their JSON alone would make an array larger than `maxBytes`. */
  oversized: OversizedItem[]
}

/** Cuts `items` into JSON arrays of at most `maxBytes` bytes, leaving out (and listing) any item too large on its own. */
export function planJsonChunks(items: readonly unknown[], maxBytes = D1_JSON_PARAM_MAX_BYTES): JsonChunkPlan {
  const plan: JsonChunkPlan = { chunks: [], oversized: [] }
  let parts: string[] = []
  // The open array's length plus one: its brackets, and each item with a comma (one more than it needs).
  let size = 2
  items.forEach((item, index) => {
    const text = JSON.stringify(item) ?? 'null'
    const bytes = utf8Bytes(text)
    if (bytes + 2 > maxBytes) {
      plan.oversized.push({ index, bytes })
      return
    }
    if (parts.length > 0 && size + bytes > maxBytes) {
      plan.chunks.push(`[${parts.join(',')}]`)
      parts = []
      size = 2
    }
    parts.push(text)
    size += bytes + 1
  })
  if (parts.length > 0) plan.chunks.push(`[${parts.join(',')}]`)
  return plan
}

/**
 * JSON arrays of the items, in order, each at most `maxBytes` UTF-8 bytes. For lists of keys and
 * small rows: an item too large on its own is refused here, with its position and size, rather
 * than by the database mid-batch.
 */
export function jsonChunks(items: readonly unknown[], maxBytes = D1_JSON_PARAM_MAX_BYTES): string[] {
  const plan = planJsonChunks(items, maxBytes)
  const first = plan.oversized[0]
  if (first)
    throw new Error(
      `Item ${first.index} of a bulk write is ${first.bytes} bytes as JSON; one bound value holds at most ${maxBytes} (src/db/d1-limits.ts)`,
    )
  return plan.chunks
}

/** `column IN (the values of a JSON array)`: any number of values in one bound parameter. */
export function inJsonArray(column: SQLWrapper, json: string): SQL {
  return sql`${column} IN (SELECT value FROM json_each(${json}))`
}

/** Field `index` of each JSON-array row read by `FROM json_each(…)`, as an SQL value (text, number, NULL). */
export function jsonField(index: number): SQL {
  return sql.raw(`json_extract(value, '$[${index}]')`)
}

/**
 * Field `index` of each row as JSON text (`->`: a string stays quoted, null is 'null'), for a
 * column that stores JSON. Rows can then carry such values as objects — serialized once, with
 * the row — instead of as JSON strings escaped a second time inside the row's JSON.
 */
export function jsonFieldText(index: number): SQL {
  return sql.raw(`(value -> '$[${index}]')`)
}
