/**
 * fast-check arbitraries that damage a real mapping input the way vendors do: a field removed,
 * set to null, to the wrong type, to unicode text; a list cut to no item or one item (jsonata's
 * singleton rules). Field names come from the mapping itself so mutations hit what it reads.
 */
import fc from 'fast-check'

export interface Mutation {
  target: number
  field: number
  kind: 'set' | 'everywhere' | 'delete' | 'truncate'
  value: unknown
}

const VALUE = fc.oneof(
  fc.constant(null),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom('', ' ', 'x', '0', 'Ada King Lovelace', '2024-02-30', '1712345678', 'usd', 'org', 'user_actor', 'not found', '✓ ünï 🚀'),
  fc.integer({ min: -1_000, max: 2_000_000_000_000 }),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 }),
  fc.dictionary(
    fc.constantFrom('id', 'name', 'type', 'value', 'credit'),
    fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.constant(null)),
    { maxKeys: 3 },
  ),
)

export const mutations = fc.array(
  fc.record({
    target: fc.nat(),
    field: fc.nat(),
    kind: fc.constantFrom('set', 'set', 'everywhere', 'everywhere', 'delete', 'truncate'),
    value: VALUE,
  }),
  { minLength: 1, maxLength: 4 },
) as fc.Arbitrary<Mutation[]>

/** Every object and array inside `root` (the root included). */
function containers(root: unknown, out: Array<Record<string, unknown> | unknown[]> = []): Array<Record<string, unknown> | unknown[]> {
  if (root !== null && typeof root === 'object') {
    out.push(root as Record<string, unknown>)
    for (const v of Object.values(root)) containers(v, out)
  }
  return out
}

/** Identifiers in a mapping's text: the field names it reads (and some it doesn't, which is fine). */
export function fieldNames(text: string): string[] {
  return [...new Set(text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [])]
}

/** A damaged deep copy of `input`. */
export function applyMutations(input: unknown, list: Mutation[], names: string[]): unknown {
  const copy = structuredClone(input)
  for (const m of list) {
    // fast-check hands out the same `{}` / `[]` instances: a copy keeps the input a tree.
    const value = structuredClone(m.value)
    const all = containers(copy)
    const target = all[m.target % all.length]
    if (Array.isArray(target)) {
      if (m.kind === 'truncate') target.length = Math.min(target.length, m.field % 2)
      else if (target.length > 0) target[m.field % target.length] = value
      continue
    }
    const keys = [...Object.keys(target), ...names]
    const key = keys[m.field % keys.length]
    if (m.kind === 'delete') delete target[key]
    else if (m.kind === 'set') target[key] = value
    // The same damage on every object having that field (every record of a page, say).
    else for (const c of all) if (!Array.isArray(c) && Object.prototype.hasOwnProperty.call(c, key)) c[key] = structuredClone(value)
  }
  return copy
}
