/**
 * Rows read on every request (a bearer token's, an integrated account's), kept in memory so a
 * request does not read them from the database again. A cached row never outlives a change to
 * it: the stores invalidate on each of their own writes, and `dataVersion` (Node: SQLite's
 * `PRAGMA data_version`, which moves whenever another connection commits — the CLI, a key
 * rotation, a second gateway process on the same file) empties the cache when anything changed
 * elsewhere. Without `dataVersion` (Workers: isolates sharing D1 cannot see each other's writes)
 * nothing is cached. Bounded: the oldest entry goes first.
 */
export class RowCache<T> {
  private readonly entries = new Map<string, T>()
  private seenVersion: number | undefined
  /** Moves on every invalidation: a read that raced a write is not stored (see load). */
  private epoch = 0

  constructor(
    private readonly dataVersion: (() => number) | undefined,
    private readonly max = 1_000,
  ) {}

  /** The cached value of `key`, or `read()` (stored unless a write happened meanwhile). */
  async load(key: string, read: () => Promise<T | undefined>): Promise<T | undefined> {
    if (!this.dataVersion) return read()
    const version = this.dataVersion()
    if (version !== this.seenVersion) {
      this.invalidate()
      this.seenVersion = version
    }
    const hit = this.entries.get(key)
    if (hit !== undefined) return hit
    const epoch = this.epoch
    const value = await read()
    if (value !== undefined && epoch === this.epoch) {
      if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as string)
      this.entries.set(key, value)
    }
    return value
  }

  /** Forgets `key`, or everything. */
  invalidate(key?: string): void {
    this.epoch++
    if (key === undefined) this.entries.clear()
    else this.entries.delete(key)
  }

  get size(): number {
    return this.entries.size
  }
}
