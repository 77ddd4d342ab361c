/**
 * UTC calendar arithmetic for mappings whose vendor reports a period by its parts (GitHub's
 * `{year, month, day}`) or by its first day only: a bucket's end is where the next day, month or
 * year begins, which jsonata cannot compute from text.
 */
/** ISO-8601 of the UTC midnight starting `year`-`month`-`day` (month and day default to 1). */
export function utcDate(year: unknown, month?: unknown, day?: unknown): string | undefined {
  const y = Number(year)
  const m = month === undefined || month === null ? 1 : Number(month)
  const d = day === undefined || day === null ? 1 : Number(day)
  if (![y, m, d].every(Number.isInteger) || m < 1 || m > 12 || d < 1 || d > 31) return undefined
  const date = new Date(Date.UTC(y, m - 1, d))
  // 2025-02-30 is no date, not 2025-03-02.
  return date.getUTCMonth() === m - 1 ? date.toISOString() : undefined
}

/**
 * `value` (an ISO-8601 date or date-time, or epoch milliseconds) moved by `amount` UTC days,
 * months or years, as ISO-8601.
 */
export function calendarShift(value: unknown, amount: unknown, unit: unknown): string | undefined {
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : Number.NaN
  const n = Number(amount)
  if (!Number.isFinite(ms) || !Number.isInteger(n)) return undefined
  const d = new Date(ms)
  if (unit === 'day') d.setUTCDate(d.getUTCDate() + n)
  else if (unit === 'month') d.setUTCMonth(d.getUTCMonth() + n)
  else if (unit === 'year') d.setUTCFullYear(d.getUTCFullYear() + n)
  else return undefined
  return d.toISOString()
}
