/**
 * Set-based writes that fit both databases. D1 allows only 100 bound parameters per statement,
 * so "one row, one statement" (or a handful of rows per multi-row VALUES) is what bounds bulk
 * writes there and, through query building and statement preparation, on better-sqlite3 too.
 * Instead a whole list of rows travels as ONE bound parameter — a JSON array — and the statement
 * reads it with `json_each`. A parameter is still a value with a size limit (D1: 2 MB per
 * string), so lists are cut into arrays of at most `maxChars` characters.
 */
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm'

/** Well under D1's 2,000,000-byte value limit even when every character takes 3 UTF-8 bytes. */
const JSON_PARAM_MAX_CHARS = 500_000

/**
 * JSON arrays of the items, in order, each at most `maxChars` long (an item alone longer than
 * that still gets an array of its own: the database then reports it, rather than losing it).
 */
export function jsonChunks(items: readonly unknown[], maxChars = JSON_PARAM_MAX_CHARS): string[] {
  const out: string[] = []
  let parts: string[] = []
  let size = 2
  for (const item of items) {
    const text = JSON.stringify(item) ?? 'null'
    if (parts.length > 0 && size + text.length + 1 > maxChars) {
      out.push(`[${parts.join(',')}]`)
      parts = []
      size = 2
    }
    parts.push(text)
    size += text.length + 1
  }
  if (parts.length > 0) out.push(`[${parts.join(',')}]`)
  return out
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
