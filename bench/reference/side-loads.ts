/** Side loads cached as the gateway's SideLoadCache does: 30 s per account and exact request. */
export class ReferenceSideLoads {
  private readonly entries = new Map<string, { at: number; value: Promise<unknown[]> }>()

  get(key: string, load: () => Promise<unknown[]>): Promise<unknown[]> {
    const hit = this.entries.get(key)
    if (hit && Date.now() - hit.at < 30_000) return hit.value
    const value = load()
    value.catch(() => this.entries.delete(key))
    this.entries.set(key, { at: Date.now(), value })
    return value
  }
}

/** A side load's failure leaves its fields empty, as the gateway's (unless a connector says `optional: false`). */
export const orEmpty = (load: Promise<unknown[]>): Promise<unknown[]> => load.catch(() => [])
