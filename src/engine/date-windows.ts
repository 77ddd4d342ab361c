/**
 * Date windows (see DateWindowSpec): the period a list asks for, cut into the spans a vendor
 * serves per request, and how each window is written into the request.
 */
import { badRequest } from '../lib/http-errors'
import type { DateWindowSpec, WindowFormat } from './connector-types'
import type { PageParams } from './pagination'

/** Where a walk stands in its period: the window being read, and where the period ends. */
export interface WindowPosition {
  /** Start of the current window, ISO-8601 UTC. */
  at: string
  /** End of the whole period (exclusive), ISO-8601 UTC. */
  until: string
}

/** What query, body and response mappings see as `window`. */
export interface WindowBinding {
  /** Start of the window, ISO date-time (UTC). */
  start: string
  /** End of the window (exclusive), ISO date-time (UTC). */
  end: string
}

const DAY_MS = 86_400_000
const UNIT_MS = { day: DAY_MS, hour: 3_600_000 } as const
/** A period longer than this is refused whatever the vendor keeps: ten years of windows. */
const MAX_PERIOD_MS = 3660 * DAY_MS

const floorTo = (ms: number, unit: number) => Math.floor(ms / unit) * unit
const ceilTo = (ms: number, unit: number) => Math.ceil(ms / unit) * unit

/** The unified parameters giving a period, as the spec names them. */
export function rangeParams(spec: DateWindowSpec): { start: string; end: string; day: string } {
  return { start: spec.range?.start ?? 'start_date', end: spec.range?.end ?? 'end_date', day: spec.range?.day ?? 'date' }
}

function instant(query: Record<string, unknown>, name: string): number | undefined {
  const v = query[name]
  if (v === undefined || v === null || v === '') return undefined
  const ms = typeof v === 'string' ? Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v) : Number.NaN
  if (!Number.isFinite(ms)) throw badRequest('invalid_request', `${name} must be an ISO-8601 date or date-time, got ${JSON.stringify(v)}`)
  return ms
}

/**
 * The period of a fresh walk: from the query (an inclusive start and exclusive end, only a
 * start = up to now or, with startAloneIsDay, its day; only an end = the default length before
 * it; or one day), else the spec's default; widened to whole units and checked against the
 * vendor's limits.
 */
export function periodOf(spec: DateWindowSpec, query: Record<string, unknown>, now: number, vendor: string): WindowPosition {
  const unit = UNIT_MS[spec.align]
  const names = rangeParams(spec)
  const start = instant(query, names.start)
  const end = instant(query, names.end)
  let day = instant(query, names.day)
  if (day !== undefined && (start !== undefined || end !== undefined)) {
    throw badRequest('invalid_request', `Give either ${names.day} or ${names.start}/${names.end}, not both`)
  }
  if (spec.startAloneIsDay && start !== undefined && end === undefined) day = start
  const today = floorTo(now, DAY_MS)
  const defaultLength = (spec.defaultRange.startDaysAgo - spec.defaultRange.endDaysAgo) * DAY_MS
  let from: number
  let to: number
  if (day !== undefined) [from, to] = [floorTo(day, DAY_MS), floorTo(day, DAY_MS) + DAY_MS]
  else if (start !== undefined) [from, to] = [start, end ?? now]
  else if (end !== undefined) [from, to] = [end - defaultLength, end]
  else [from, to] = [today - spec.defaultRange.startDaysAgo * DAY_MS, today - spec.defaultRange.endDaysAgo * DAY_MS]
  from = floorTo(from, unit)
  to = ceilTo(to, unit)
  if (to <= from) throw badRequest('invalid_request', `${names.end} must be after ${names.start}`)
  const maxMs = Math.min(MAX_PERIOD_MS, (spec.maxRangeDays ?? Infinity) * DAY_MS)
  if (to - from > maxMs) {
    throw badRequest(
      'invalid_request',
      `${vendor} serves at most ${Math.round(maxMs / DAY_MS)} days per list; narrow ${names.start}/${names.end}`,
    )
  }
  return { at: new Date(from).toISOString(), until: new Date(to).toISOString() }
}

/** The bounds of the window a position stands in. */
export function windowOf(spec: DateWindowSpec, pos: WindowPosition): WindowBinding {
  const start = Date.parse(pos.at)
  const end = Math.min(start + spec.maxSpan * UNIT_MS[spec.align], Date.parse(pos.until))
  return { start: new Date(start).toISOString(), end: new Date(end).toISOString() }
}

/** The window after this one, or null at the end of the period. */
export function nextWindow(spec: DateWindowSpec, pos: WindowPosition): WindowPosition | null {
  const { end } = windowOf(spec, pos)
  return Date.parse(end) < Date.parse(pos.until) ? { at: end, until: pos.until } : null
}

/** How much one unit of a format is, for an inclusive end (the last day; the last second). */
const FORMAT_STEP_MS: Record<WindowFormat, number> = { date: DAY_MS, 'date-time': 1000, 'epoch-s': 1000, 'epoch-ms': 1 }

function formatted(ms: number, format: WindowFormat): string | number {
  switch (format) {
    case 'date':
      return new Date(ms).toISOString().slice(0, 10)
    case 'date-time':
      return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
    case 'epoch-ms':
      return ms
    case 'epoch-s':
      return Math.floor(ms / 1000)
  }
}

/** The request parameters of a window, as the spec sends them. */
export function windowParams(spec: DateWindowSpec, window: WindowBinding): PageParams {
  const params: PageParams = { query: {}, body: {} }
  const send = spec.send
  if (!send) return params
  const target = send.in === 'body' ? params.body : params.query
  if (send.start) target[send.start.param] = formatted(Date.parse(window.start), send.start.format)
  if (send.end) {
    const end = Date.parse(window.end) - (send.end.inclusive ? FORMAT_STEP_MS[send.end.format] : 0)
    target[send.end.param] = formatted(end, send.end.format)
  }
  return params
}

/** A window position read back from a cursor, or undefined when it is not one. */
export function readWindowPosition(value: unknown): WindowPosition | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined
  const { at, until } = value as Record<string, unknown>
  if (typeof at !== 'string' || typeof until !== 'string') return undefined
  const from = Date.parse(at)
  const to = Date.parse(until)
  if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to || to - from > MAX_PERIOD_MS) return undefined
  return { at: new Date(from).toISOString(), until: new Date(to).toISOString() }
}
