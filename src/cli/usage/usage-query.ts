/**
 * The usage commands' flags as the query of `GET /unified/usage-metering/usage`: the period
 * (--month, or --from/--to; end exclusive, as the API takes it) and the filters, under the live
 * list's own parameter names, which a super-query (--local) honours too.
 */
import { UsageError } from '../errors'

export interface UsageFilterOptions {
  month?: string
  from?: string
  to?: string
  model?: string[]
  product?: string[]
  surface?: string[]
  userId?: string[]
  email?: string[]
  local?: boolean
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/
const DAY = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/

/** `2026-11` → the first day of it and of the next month (exclusive end). */
export function monthPeriod(month: string): { start_date: string; end_date: string } {
  const m = MONTH.exec(month)
  if (!m) throw new UsageError(`--month must be YYYY-MM, got "${month}"`, 'e.g. --month 2026-11')
  const [year, mon] = [Number(m[1]), Number(m[2])]
  const next = mon === 12 ? `${year + 1}-01` : `${year}-${String(mon + 1).padStart(2, '0')}`
  return { start_date: `${month}-01`, end_date: `${next}-01` }
}

function period(opts: UsageFilterOptions): Record<string, string> {
  if (opts.month !== undefined) {
    if (opts.from !== undefined || opts.to !== undefined)
      throw new UsageError('--month is a whole period: drop --from/--to, or drop --month')
    return monthPeriod(opts.month)
  }
  const out: Record<string, string> = {}
  for (const [flag, key, value] of [
    ['--from', 'start_date', opts.from],
    ['--to', 'end_date', opts.to],
  ] as const) {
    if (value === undefined) continue
    if (!DAY.test(value) || !Number.isFinite(Date.parse(value)))
      throw new UsageError(`${flag} must be an ISO-8601 date (YYYY-MM-DD) or date-time, got "${value}"`, `e.g. ${flag} 2026-11-01`)
    out[key] = value
  }
  return out
}

export function usageQuery(opts: UsageFilterOptions): Record<string, unknown> {
  if (opts.email && !opts.local)
    throw new UsageError('--email filters the local copy: add --local (vendors filter by their own user ids: --user-id)')
  const lists: Record<string, string[] | undefined> = {
    model_ids: opts.model,
    product_ids: opts.product,
    surfaces: opts.surface,
    user_ids: opts.userId,
    'user.email': opts.email,
  }
  const query: Record<string, unknown> = { ...period(opts) }
  for (const [key, values] of Object.entries(lists)) if (values?.length) query[key] = values
  if (opts.local) query.truto_super_query = '1'
  return query
}
