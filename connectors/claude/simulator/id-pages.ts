/**
 * Anthropic's id-cursor pagination (`after_id` / `before_id` / `limit`, answered with
 * `{data, first_id, has_more, last_id}`) over a collection addressed by index, plus the semantic
 * faults a connector must survive. Only the rows on the page (and one look-ahead match) are
 * generated, so a page of a million-user org costs the same as a page of a small one.
 */
import type { SimRequest } from '../../../src/sandbox/simulator-kit'
import type { IdCodec } from './ids'
import { BadRequest, parseLimit } from './params'

export interface IndexedCollection<T> {
  count: number
  ids: IdCodec
  item(index: number): T
  /**
   * The nearest matching index from `from` in direction `step`, or -1. Collections with a filter
   * decide how to get there (a scan, or a jump for an exact-email lookup).
   */
  nextMatch(from: number, step: 1 | -1): number
}

export interface IdPage<T> {
  data: T[]
  first_id: string | null
  has_more: boolean
  last_id: string | null
}

/** Collects up to `limit` matches walking from `from`; returns them in ascending index order. */
function collect<T>(c: IndexedCollection<T>, from: number, step: 1 | -1, limit: number): number[] {
  const found: number[] = []
  let i = c.nextMatch(from, step)
  while (i >= 0 && found.length < limit) {
    found.push(i)
    i = c.nextMatch(i + step, step)
  }
  return step === 1 ? found : found.reverse()
}

function cursorIndex(c: IndexedCollection<unknown>, name: string, id: string): number {
  const index = c.ids.indexOf(id)
  if (index === undefined) throw new BadRequest(`${name}: Invalid value '${id}'`)
  return index
}

function toPage<T>(c: IndexedCollection<T>, indices: number[], hasMore: boolean): IdPage<T> {
  const data = indices.map((i) => c.item(i))
  return {
    data,
    first_id: indices.length ? c.ids.idOf(indices[0]) : null,
    has_more: hasMore,
    last_id: indices.length ? c.ids.idOf(indices[indices.length - 1]) : null,
  }
}

/**
 * One page. `has_more` refers to the requested direction, as Anthropic documents: after_id (or no
 * cursor) pages forward, before_id pages backward and still lists its rows oldest first.
 */
export function idPage<T>(req: SimRequest, c: IndexedCollection<T>): IdPage<T> {
  let limit = parseLimit(req.query, 20, 1000)
  const afterId = req.query.get('after_id')
  const beforeId = req.query.get('before_id')
  if (afterId !== null && beforeId !== null) throw new BadRequest('Cannot specify both after_id and before_id')
  const after = afterId === null ? undefined : cursorIndex(c, 'after_id', afterId)
  const before = beforeId === null ? undefined : cursorIndex(c, 'before_id', beforeId)

  if (req.fault('empty-has-more')) return { data: [], first_id: null, has_more: true, last_id: null }

  if (req.fault('repeat-cursor')) {
    // Serve the page the client already has again: it ends at after_id (or starts at before_id),
    // so the cursor in the answer equals the cursor in the request and a naive loop never ends.
    if (after !== undefined && after < c.count) {
      const earlier = collect(c, after - 1, -1, limit - 1)
      return toPage(c, [...earlier, after], true)
    }
    if (before !== undefined && before < c.count) return toPage(c, [before, ...collect(c, before + 1, 1, limit - 1)], true)
    return toPage(c, collect(c, 0, 1, limit), true)
  }

  const oversized = req.fault('oversized-page')
  if (oversized) limit *= oversized.factor ?? 5

  if (before !== undefined) {
    const indices = collect(c, Math.min(before, c.count) - 1, -1, limit)
    return toPage(c, indices, indices.length > 0 && c.nextMatch(indices[0] - 1, -1) >= 0)
  }
  const start = after === undefined ? 0 : after + 1
  const indices = collect(c, start, 1, limit)
  return toPage(c, indices, indices.length > 0 && c.nextMatch(indices[indices.length - 1] + 1, 1) >= 0)
}
