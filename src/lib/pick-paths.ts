/**
 * Copies of parsed JSON holding only the values at some dot paths (`actor.email_address`), the
 * rest dropped: what a side load keeps of each vendor record when its connector names the fields
 * its mappings read (a cached side load then holds what its joins need, not the whole answer).
 * An array on the way is picked item by item, as a JSONata path maps over it; keys keep the
 * record's own order and a path the record lacks stays absent, so a mapping that reads only those
 * paths sees what it would see in the whole record.
 */
type PathTree = Map<string, PathTree | true>

function treeOf(paths: readonly string[]): PathTree {
  const root: PathTree = new Map()
  for (const path of paths) {
    const parts = path.split('.')
    let node = root
    for (const [i, part] of parts.entries()) {
      const at = node.get(part)
      // A shorter path already keeps the whole value.
      if (at === true) break
      if (i === parts.length - 1) node.set(part, true)
      else if (at === undefined) node.set(part, (node = new Map()))
      else node = at
    }
  }
  return root
}

function pick(value: unknown, tree: PathTree): unknown {
  if (Array.isArray(value)) return value.map((item) => pick(item, tree))
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value)) {
    const sub = tree.get(key)
    if (sub === undefined) continue
    const v = (value as Record<string, unknown>)[key]
    out[key] = sub === true ? v : pick(v, sub)
  }
  return out
}

/** A function copying a value down to `paths` (see above). */
export function pathPicker(paths: readonly string[]): (value: unknown) => unknown {
  const tree = treeOf(paths)
  return (value) => pick(value, tree)
}
