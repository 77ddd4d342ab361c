/**
 * `value[key]` when it is the object's own property, else undefined: inherited members
 * (`constructor`, `toString`, `__proto__`) are never read for a name that came from outside.
 */
export function ownValue(value: unknown, key: string): unknown {
  if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, key)) return undefined
  return (value as Record<string, unknown>)[key]
}

/** Dot-path reads over parsed JSON (`pagination.next`, `data`); '' is the value itself. Own properties only. */
export function getPath(value: unknown, path: string): unknown {
  if (!path) return value
  let cur: unknown = value
  for (const part of path.split('.')) {
    cur = ownValue(cur, part)
    if (cur === undefined) return undefined
  }
  return cur
}

/** The first path that yields a non-empty value. */
export function firstPath(value: unknown, paths: readonly string[]): unknown {
  for (const p of paths) {
    const v = getPath(value, p)
    if (v !== undefined && v !== null && v !== '') return v
  }
  return undefined
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

/**
 * A copy of caller-supplied JSON that is safe to merge and forward: prototype-polluting keys
 * dropped, depth and size bounded. Returns undefined for values that are not plain data.
 */
export function sanitizePlain(value: unknown, depth = 0): unknown {
  if (depth > 8) return undefined
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value
  if (Array.isArray(value))
    return value
      .slice(0, 1000)
      .map((v) => sanitizePlain(v, depth + 1))
      .filter((v) => v !== undefined)
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (FORBIDDEN_KEYS.has(k)) continue
      const clean = sanitizePlain(v, depth + 1)
      if (clean !== undefined) out[k] = clean
    }
    return out
  }
  return undefined
}
