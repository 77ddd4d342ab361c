/**
 * The date window one run of a window-mode resource syncs (see ResourceSyncMode): on a job's
 * first run the last `initialDays` days, later from the job's watermark (where the last complete
 * run ended) minus the resource's lookback, since vendors restate recent buckets. Whole UTC days,
 * start inclusive and end exclusive; the end is tomorrow, so today's open bucket is synced and,
 * being inside the next run's lookback, updated in place later.
 */
import type { ResourceSyncMode } from '../models/model-registry'

export type WindowMode = Extract<ResourceSyncMode, { mode: 'window' }>

/** `YYYY-MM-DD` bounds; `end` is exclusive. */
export interface SyncWindow {
  start: string
  end: string
}

/** How far back a job's first run reaches when the job does not say. */
export const DEFAULT_INITIAL_DAYS = 30
export const MAX_INITIAL_DAYS = 366

const DAY_MS = 86_400_000
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10)
const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`)

export function runWindow(mode: WindowMode, watermark: string | undefined, initialDays: number, now: number): SyncWindow {
  const today = dayStart(dayOf(now))
  const end = today + DAY_MS
  // Never later than today: a run repeated the same day still re-reads today's bucket.
  const start =
    watermark === undefined ? today - (initialDays - 1) * DAY_MS : Math.min(dayStart(watermark) - mode.lookbackDays * DAY_MS, today)
  return { start: dayOf(start), end: dayOf(end) }
}

/**
 * The window as the resource's list takes it: query parameters named like the bucket's fields
 * (`start_date`, `end_date`), as Truto's usage list does.
 */
export function windowQuery(mode: WindowMode, window: SyncWindow): Record<string, string> {
  return { [mode.startField]: window.start, [mode.endField]: window.end }
}
