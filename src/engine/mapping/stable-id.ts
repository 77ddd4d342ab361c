/**
 * Ids for records that have none at the vendor (a usage bucket): derived from what identifies the
 * record, so listing the same bucket twice, or after the vendor restated it, gives the same id,
 * and a sync upserts it in place instead of adding a copy.
 */

/** 53-bit-safe pair of 32-bit multiplicative hashes over the text (64 bits in all). */
function hash64(text: string): string {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 2654435761)
    h2 = Math.imul(h2 ^ c, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0')
}

/** Object keys in sorted order at every depth, so `{a, b}` and `{b, a}` read the same. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical)
  if (value === null || typeof value !== 'object') return value === undefined ? null : value
  const obj = value as Record<string, unknown>
  return Object.fromEntries(
    Object.keys(obj)
      .sort()
      .map((k) => [k, canonical(obj[k])]),
  )
}

/**
 * `prefix_` + 16 hex digits from the dimensions: `$stableId('cc', {'day': date, 'user': email})`.
 * Pass an object rather than an array: a JSONata array drops missing values, so `[day, user,
 * model]` without a user would read like one without a model; object keys keep each value's role.
 */
export function stableId(prefix: unknown, dimensions: unknown): string {
  const head = typeof prefix === 'string' && prefix !== '' ? prefix : 'id'
  return `${head}_${hash64(JSON.stringify(canonical(dimensions)) ?? 'null')}`
}
