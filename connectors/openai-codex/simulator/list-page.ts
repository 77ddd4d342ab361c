/**
 * OpenAI's list pagination (`limit` + `after` = the last object id seen, answered with
 * `{object:"list", data, first_id, last_id, has_more}`) over a collection addressed by index,
 * plus the semantic faults a connector must survive. Only the rows on the page and one
 * look-ahead are generated, so a page of a million-user org costs the same as a small one.
 */
import type { SimRequest } from '../../../src/sandbox/simulator-kit'
import type { IdCodec } from './ids'
import { BadRequest, parseLimit } from './params'

export interface IndexedCollection<T> {
  count: number
  ids: IdCodec
  item(index: number): T
  /** The nearest matching index from `from` in direction `step`, or -1. */
  nextMatch(from: number, step: 1 | -1): number
}

export interface ListPage<T> {
  object: 'list'
  data: T[]
  first_id: string | null
  last_id: string | null
  has_more: boolean
}

/** Up to `limit` matches walking from `from`, returned in ascending index order. */
function collect(c: IndexedCollection<unknown>, from: number, step: 1 | -1, limit: number): number[] {
  const found: number[] = []
  let i = c.nextMatch(from, step)
  while (i >= 0 && found.length < limit) {
    found.push(i)
    i = c.nextMatch(i + step, step)
  }
  return step === 1 ? found : found.reverse()
}

function toPage<T>(c: IndexedCollection<T>, indices: number[], hasMore: boolean): ListPage<T> {
  return {
    object: 'list',
    data: indices.map((i) => c.item(i)),
    first_id: indices.length ? c.ids.idOf(indices[0]) : null,
    last_id: indices.length ? c.ids.idOf(indices[indices.length - 1]) : null,
    has_more: hasMore,
  }
}

export function listPage<T>(req: SimRequest, c: IndexedCollection<T>, maxLimit = 100): ListPage<T> {
  let limit = parseLimit(req.query, 20, maxLimit)
  const afterId = req.query.get('after')
  const after = afterId === null ? undefined : c.ids.indexOf(afterId)
  if (afterId !== null && after === undefined) throw new BadRequest(`Invalid 'after': '${afterId}' is not a valid object id.`, 'after')

  if (req.fault('empty-has-more')) return { object: 'list', data: [], first_id: null, last_id: null, has_more: true }

  if (req.fault('repeat-cursor')) {
    // Serve the page that ended at `after` again: the answer's last_id equals the request's
    // cursor, so a client that trusts has_more alone never gets anywhere.
    if (after !== undefined && after < c.count) return toPage(c, [...collect(c, after - 1, -1, limit - 1), after], true)
    return toPage(c, collect(c, 0, 1, limit), true)
  }

  const oversized = req.fault('oversized-page')
  if (oversized) limit *= oversized.factor ?? 5

  const indices = collect(c, after === undefined ? 0 : after + 1, 1, limit)
  return toPage(c, indices, indices.length > 0 && c.nextMatch(indices[indices.length - 1] + 1, 1) >= 0)
}
