/**
 * Which unified fields a response mapping fills, read from its JSONata syntax tree (no vendor
 * data needed, so it is the same on every runtime and cannot drift from the mapping).
 *
 * A record constructor is an object constructor with both `id` and `remote_data` keys (every
 * unified record carries both); nested objects such as `{"id": role, "name": role}` are not
 * records. A key counts as filled unless its value is the literal `null`: a conditional may be
 * null for some records, but the connector does fill it where the vendor has it.
 */

/** The parts of a JSONata AST node this walk reads (the library does not export its type). */
interface AstNode {
  type?: string
  value?: unknown
  lhs?: unknown
  group?: { lhs?: unknown }
  [key: string]: unknown
}

type Pair = [AstNode, AstNode]

function isNode(v: unknown): v is AstNode {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

/** The key/value pairs of an object constructor node (`{…}` or a path's `group`), if it is one. */
function constructorPairs(node: AstNode): Pair[][] {
  const found: Pair[][] = []
  if (node.type === 'unary' && node.value === '{' && Array.isArray(node.lhs)) found.push(node.lhs as Pair[])
  if (isNode(node.group) && Array.isArray(node.group.lhs)) found.push(node.group.lhs as Pair[])
  return found
}

const isNullLiteral = (node: AstNode) => node.type === 'value' && node.value === null

function visit(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) {
    for (const v of value) visit(v, out)
    return
  }
  if (!isNode(value)) return
  for (const pairs of constructorPairs(value)) {
    const keys = pairs.map(([k]) => (k.type === 'string' ? String(k.value) : undefined))
    if (!keys.includes('id') || !keys.includes('remote_data')) continue
    pairs.forEach(([, v], i) => {
      const key = keys[i]
      if (key !== undefined && !isNullLiteral(v)) out.add(key)
    })
  }
  for (const [k, v] of Object.entries(value)) if (k !== 'position') visit(v, out)
}

/** Keys the mapping's record constructors fill (union over all of them, e.g. members and invitations). */
export function filledFields(ast: unknown): Set<string> {
  const out = new Set<string>()
  visit(ast, out)
  return out
}
