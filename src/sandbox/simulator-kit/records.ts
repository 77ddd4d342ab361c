/**
 * Edits to a simulator's generated data at run time, so a test (or someone trying the sandbox)
 * can make the vendor change or remove a record and watch a sync notice. Simulators generate
 * records from their index; those that honour edits consult this before serving one. Edits are
 * per collection (e.g. `users`) and record id; they are reachable over HTTP at `/__sim/records`.
 */
interface RecordEdit {
  collection: string
  id: string
  /** Fields to overwrite (shallow). */
  set?: Record<string, unknown>
  /** The vendor no longer has this record. */
  remove?: boolean
}

export class RecordOverrides {
  private readonly edits = new Map<string, { set: Record<string, unknown>; removed: boolean }>()

  private key(collection: string, id: string): string {
    return `${collection}\u0000${id}`
  }

  apply(edit: RecordEdit): void {
    const key = this.key(edit.collection, edit.id)
    const current = this.edits.get(key) ?? { set: {}, removed: false }
    this.edits.set(key, { set: { ...current.set, ...(edit.set ?? {}) }, removed: edit.remove ?? current.removed })
  }

  clear(): void {
    this.edits.clear()
  }

  get size(): number {
    return this.edits.size
  }

  isRemoved(collection: string, id: string): boolean {
    return this.edits.get(this.key(collection, id))?.removed === true
  }

  /** The record with its edits applied (the same object when there are none). */
  patch<T extends { id: string }>(collection: string, record: T): T {
    const edit = this.edits.get(this.key(collection, record.id))
    return edit && Object.keys(edit.set).length > 0 ? { ...record, ...edit.set, id: record.id } : record
  }
}

/** Validates a `/__sim/records` body: one edit or a list of them. */
export function parseRecordEdits(body: unknown): RecordEdit[] | undefined {
  const list = Array.isArray(body) ? body : [body]
  const ok = list.every(
    (e) =>
      e !== null &&
      typeof e === 'object' &&
      typeof (e as RecordEdit).collection === 'string' &&
      typeof (e as RecordEdit).id === 'string' &&
      ((e as RecordEdit).set === undefined || (typeof (e as RecordEdit).set === 'object' && (e as RecordEdit).set !== null)) &&
      ((e as RecordEdit).remove === undefined || typeof (e as RecordEdit).remove === 'boolean'),
  )
  return ok && list.length > 0 ? (list as RecordEdit[]) : undefined
}
