/**
 * The orders `sort_by` offers. `joined_at` is index order, so it costs nothing; `email` and
 * `role` need the whole org sorted, done once on first use and kept as an index array.
 */
import type { SortBy, SortOrder } from './cursor'
import type { NeonOrg } from './org'

export class MemberOrders {
  private readonly cache = new Map<SortBy, Uint32Array>()

  constructor(private readonly org: NeonOrg) {}

  /** The member index at `position` in the given order. */
  at(sortBy: SortBy, sortOrder: SortOrder, position: number): number {
    const last = this.org.size - 1
    if (sortBy === 'joined_at') return sortOrder === 'asc' ? position : last - position
    const ascending = this.ascending(sortBy)
    return ascending[sortOrder === 'asc' ? position : last - position]
  }

  private ascending(sortBy: Exclude<SortBy, 'joined_at'>): Uint32Array {
    let order = this.cache.get(sortBy)
    if (order) return order
    const { org } = this
    order = new Uint32Array(org.size)
    for (let i = 0; i < org.size; i++) order[i] = i
    if (sortBy === 'email') {
      const emails: string[] = new Array(org.size)
      for (let i = 0; i < org.size; i++) emails[i] = org.email(i)
      order.sort((a, b) => (emails[a] < emails[b] ? -1 : emails[a] > emails[b] ? 1 : a - b))
    } else {
      // admin before member; within a role, the order they joined in.
      const rank = new Uint8Array(org.size)
      for (let i = 0; i < org.size; i++) rank[i] = org.role(i) === 'admin' ? 0 : 1
      order.sort((a, b) => rank[a] - rank[b] || a - b)
    }
    this.cache.set(sortBy, order)
    return order
  }
}
