/**
 * What an aggregate of usage records adds up: charges, per currency and charge type (a dollar
 * and a euro never land in one sum, and `total` never in one sum with `net` or `tax`, which
 * restate parts of it); the counts of `usage.tokens` and `usage.requests`, key by key; how many
 * records and distinct UTC days went in; and the span of their buckets.
 */
import { getPath } from '../../lib/object-path'
import { DecimalSum } from './decimal-sum'

/** The `usage` groups whose numbers are counts that add up (sessions and activity do not). */
export const SUMMED_GROUPS = ['tokens', 'requests'] as const
type SummedGroup = (typeof SUMMED_GROUPS)[number]

/** Which part of a record a contribution carries (see the charge_type and token_type dimensions). */
export interface MeasureSlice {
  /** Only charges of this type (`null`: charges without a type); undefined: all charges. */
  chargeType?: string | null
  /** Only this token count, and no charges or requests. */
  tokenType?: string
  /** Charges only: no counts. */
  chargesOnly?: boolean
}

export interface ChargeTotal {
  amount: number | string
  currency: string | null
  type: string | null
}

export interface MeasureTotals {
  charges: ChargeTotal[]
  usage: { tokens: Record<string, number>; requests: Record<string, number> }
  record_count: number
  active_days: number
  start_date: string | null
  end_date: string | null
}

const textOrNull = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null)
const countOf = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)

/** The records a group holds, summed as they arrive. */
export class Measures {
  private readonly charges = new Map<string, { currency: string | null; type: string | null; sum: DecimalSum }>()
  private readonly counts: Record<SummedGroup, Map<string, number>> = { tokens: new Map(), requests: new Map() }
  private readonly days = new Set<string>()
  private records = 0
  private first: string | null = null
  private last: string | null = null

  add(record: Record<string, unknown>, slice: MeasureSlice = {}): void {
    this.records++
    const start = textOrNull(record.start_date)
    const end = textOrNull(record.end_date) ?? start
    if (start) {
      this.days.add(start.slice(0, 10))
      if (this.first === null || start < this.first) this.first = start
    }
    if (end && (this.last === null || end > this.last)) this.last = end
    if (slice.tokenType === undefined) this.addCharges(record.charges, slice.chargeType)
    if (slice.chargesOnly) return
    for (const group of SUMMED_GROUPS) {
      if (slice.tokenType !== undefined && group !== 'tokens') continue
      const values = getPath(record, `usage.${group}`)
      if (!values || typeof values !== 'object' || Array.isArray(values)) continue
      for (const [key, raw] of Object.entries(values as Record<string, unknown>)) {
        if (slice.tokenType !== undefined && key !== slice.tokenType) continue
        const n = countOf(raw)
        if (n !== undefined) this.counts[group].set(key, (this.counts[group].get(key) ?? 0) + n)
      }
    }
  }

  private addCharges(charges: unknown, onlyType: string | null | undefined): void {
    if (!Array.isArray(charges)) return
    for (const charge of charges) {
      if (!charge || typeof charge !== 'object') continue
      const { amount, currency, type } = charge as Record<string, unknown>
      // A currency is never guessed: an amount without one is summed with the others without one.
      const cur = textOrNull(currency)?.toUpperCase() ?? null
      const kind = textOrNull(type)
      if (onlyType !== undefined && kind !== onlyType) continue
      const key = `${cur ?? ''}\u0000${kind ?? ''}`
      let entry = this.charges.get(key)
      if (!entry) {
        entry = { currency: cur, type: kind, sum: new DecimalSum() }
        this.charges.set(key, entry)
      }
      entry.sum.add(amount)
    }
  }

  totals(): MeasureTotals {
    const counts = (group: SummedGroup) => Object.fromEntries([...this.counts[group].entries()].sort(([a], [b]) => (a < b ? -1 : 1)))
    const charges = [...this.charges.values()]
      .filter((c) => c.sum.count > 0)
      .sort((a, b) => `${a.currency ?? ''}\u0000${a.type ?? ''}`.localeCompare(`${b.currency ?? ''}\u0000${b.type ?? ''}`))
      .map((c) => ({ amount: c.sum.value(), currency: c.currency, type: c.type }))
    return {
      charges,
      usage: { tokens: counts('tokens'), requests: counts('requests') },
      record_count: this.records,
      active_days: this.days.size,
      start_date: this.first,
      end_date: this.last,
    }
  }
}
