/**
 * The per-person summary a person reads at a terminal: one line per person of the tenant (rows
 * of the super-query's people view), their seats, activity, and cost in total and per vendor.
 * Amounts arrive in minor units (cents) and are shown in the currency's major unit; a currency
 * is never converted into another, so a person paying in two shows both.
 */
import { Measures } from '../../sync/super-query/usage-measures'

interface Charge {
  amount: number | string
  currency: string | null
  type: string | null
}

interface Totals {
  charges: Charge[]
  usage: { tokens: Record<string, number>; requests: Record<string, number> }
  active_days: number
}

export interface PersonRow extends Totals {
  id: string
  user: { id: string | null; email: string | null; name: string | null } | null
  by_account?: Array<Totals & { integration: string }>
  seats?: Array<{ integration: string }>
}

/** Minor units of `currency` as its major unit, e.g. 12345 USD → $123.45; unknown codes as they are. */
export function formatMoney(amount: number | string, currency: string | null): string {
  const minor = Number(amount)
  if (!currency) return `${amount} (no currency)`
  try {
    const format = new Intl.NumberFormat('en-US', { style: 'currency', currency })
    return format.format(minor / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2))
  } catch {
    return `${amount} ${currency} (minor units)`
  }
}

/** Charges per currency: the `total` where the vendor gives one, else each type by name. */
export function costText(charges: Charge[]): string {
  const byCurrency = new Map<string, Charge[]>()
  for (const c of charges) byCurrency.set(c.currency ?? '', [...(byCurrency.get(c.currency ?? '') ?? []), c])
  return [...byCurrency.values()]
    .map((list) => {
      const total = list.find((c) => c.type === 'total')
      if (total) return formatMoney(total.amount, total.currency)
      return list.map((c) => `${formatMoney(c.amount, c.currency)} ${c.type ?? 'untyped'}`).join(' + ')
    })
    .join('; ')
}

/** Charges of several accounts of one vendor, summed exactly per currency and type as the gateway sums them. */
function mergeCharges(lists: Charge[][]): Charge[] {
  const measures = new Measures()
  for (const charges of lists) measures.add({ charges }, { chargesOnly: true })
  return measures.totals().charges
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0)

export function summaryRows(people: PersonRow[]): Record<string, unknown>[] {
  const vendors = [...new Set(people.flatMap((p) => (p.by_account ?? []).map((a) => a.integration)))].sort()
  return people.map((p) => {
    const row: Record<string, unknown> = {
      person: p.user?.email ?? (p.id === '' ? '(not attributed to a person)' : p.id),
      name: p.user?.name ?? '',
      seats: [...new Set((p.seats ?? []).map((s) => s.integration))].join(', '),
      active_days: p.active_days,
      tokens: sum(p.usage.tokens),
      // Request kinds overlap (a composer request is also in total): only the vendor's total is shown.
      requests: p.usage.requests.total ?? '',
      cost: costText(p.charges),
    }
    for (const vendor of vendors) {
      const accounts = (p.by_account ?? []).filter((a) => a.integration === vendor)
      row[vendor] = costText(mergeCharges(accounts.map((a) => a.charges)))
    }
    return row
  })
}
