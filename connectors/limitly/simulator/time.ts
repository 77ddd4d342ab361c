/**
 * Time helpers for the Limitly simulator: the ISO format the docs show, and the quota periods
 * a plan's `request_period` resets on (reference §5.2: day at midnight UTC, week on Monday UTC,
 * month on the 1st, year on Jan 1).
 */

export type RequestPeriod = 'day' | 'week' | 'month' | 'year'

/** `2024-01-01T00:00:00Z`: the docs' examples carry no milliseconds. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** The current quota period of `period` around `now`, as [start, end) in ms. */
export function periodBounds(period: RequestPeriod, now: number): { start: number; end: number } {
  const d = new Date(now)
  const y = d.getUTCFullYear()
  const m = d.getUTCMonth()
  const day = d.getUTCDate()
  switch (period) {
    case 'day': {
      const start = Date.UTC(y, m, day)
      return { start, end: Date.UTC(y, m, day + 1) }
    }
    case 'week': {
      // getUTCDay: 0 is Sunday; weeks start on Monday.
      const sinceMonday = (d.getUTCDay() + 6) % 7
      const start = Date.UTC(y, m, day - sinceMonday)
      return { start, end: Date.UTC(y, m, day - sinceMonday + 7) }
    }
    case 'month':
      return { start: Date.UTC(y, m, 1), end: Date.UTC(y, m + 1, 1) }
    case 'year':
      return { start: Date.UTC(y, 0, 1), end: Date.UTC(y + 1, 0, 1) }
  }
}
