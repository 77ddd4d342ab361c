/**
 * Where a walk stands, with readable names in code and the short keys it has on the wire: the
 * live list cursor (`PagePosition`), the super-query cursor (`KeysetPosition`) and a sync run's
 * stored checkpoint (`Checkpoint`). The short keys are a stored format: cursors handed out
 * earlier and checkpoints of running jobs are decoded by these same functions, so the encoded
 * text stays byte for byte what it was (key names and key order). Only this file knows the keys.
 */
import { badRequest } from '../lib/http-errors'
import { readWindowPosition, type WindowPosition } from './date-windows'
import type { VendorState } from './pagination'

/** Where a list walk stands: the vendor page to fetch, how many of its records were already served. */
export interface PagePosition {
  /** Vendor state of the page (null = first). Wire `s`. */
  vendorState: VendorState
  /** Records of that page already returned. Wire `o`. */
  offset: number
  /** Vendor page size, fixed for the whole walk so page/offset boundaries never move. Wire `ps`. */
  pageSize: number
  /** Fingerprint of the previous vendor page, to spot a vendor serving the same page forever. Wire `fp`. */
  fingerprint?: string
  /** Which vendor list the walk is in: absent = the method's own, n = its `then[n-1]`. Wire `l`. */
  listIndex?: number
  /** The date window being read, for a list that walks its period in windows. Wire `window`. */
  window?: WindowPosition
  /** The vendor report the walk reads (see report-choice.ts), fixed for the whole walk. Wire `report`. */
  report?: string
}

/** The last row a super-query page served: the next page starts strictly after it. */
export interface KeysetPosition {
  /** Sort value of the last row served. Wire `k`. */
  sortValue: string
  /** Its record id. Wire `i`. */
  recordId: string
}

/** Where a sync run resumes: the resource being walked, its next page, what it has seen so far. */
export interface Checkpoint {
  /** Index into the job's resources. Wire `r`. */
  resourceIndex: number
  /** Next page of that resource; null = its first page. Wire `pos`. */
  next: PagePosition | null
  /** Distinct records seen per resource key. */
  seen: Record<string, number>
  /** Some page was partial: the walk is not complete, nothing may be marked deleted. */
  partial: boolean
  /** The window each window-mode resource key is synced over, fixed when its walk starts. */
  windows?: Record<string, CheckpointWindow>
}

/** A sync run's date window (see src/sync/sync-window.ts), stored as given. */
export interface CheckpointWindow {
  start: string
  end: string
}

type WireState = Record<string, unknown>

export function pagePositionToWire(p: PagePosition): WireState {
  return {
    s: p.vendorState,
    o: p.offset,
    ps: p.pageSize,
    ...(p.fingerprint !== undefined ? { fp: p.fingerprint } : {}),
    ...(p.listIndex ? { l: p.listIndex } : {}),
    ...(p.window ? { window: p.window } : {}),
    ...(p.report === undefined ? {} : { report: p.report }),
  }
}

/** A position whose fields were already checked (a stored checkpoint the runner wrote itself). */
function pagePositionOf(state: WireState): PagePosition {
  const { s, o, ps, fp, l, window, report } = state
  const at = window === undefined ? undefined : readWindowPosition(window)
  return {
    vendorState: s as VendorState,
    offset: o as number,
    pageSize: ps as number,
    ...(fp ? { fingerprint: fp as string } : {}),
    ...(l ? { listIndex: l as number } : {}),
    ...(at ? { window: at } : {}),
    ...(typeof report === 'string' ? { report } : {}),
  }
}

/** What a cursor is checked against: the walk it is for. */
export interface CursorWalk {
  /** The method's largest page size. */
  maxPageSize: number
  /** How many vendor lists the walk of `report` has (a cursor may name a `then` list since lost). */
  listCount(report: string | undefined): number
  /** Whether the connector still offers `report`. */
  hasReport(report: string): boolean
}

/** A cursor's position, checked against the walk it is for. */
export function pagePositionFromCursor(state: WireState, walk: CursorWalk): PagePosition {
  const { s, o, ps, fp, l, window, report } = state
  const okState = s === null || typeof s === 'string' || (typeof s === 'number' && Number.isFinite(s))
  const okOffset = typeof o === 'number' && Number.isInteger(o) && o >= 0 && o < 1_000_000
  const okSize = typeof ps === 'number' && Number.isInteger(ps) && ps >= 1 && ps <= walk.maxPageSize
  // A cursor naming a report the connector no longer has cannot go on.
  const okReport = report === undefined || (typeof report === 'string' && walk.hasReport(report))
  const lists = okReport ? walk.listCount(report as string | undefined) : 0
  const okList = l === undefined || (typeof l === 'number' && Number.isInteger(l) && l >= 1 && l < lists)
  const okWindow = window === undefined || readWindowPosition(window) !== undefined
  if (!okState || !okOffset || !okSize || !okReport || !okList || !okWindow || (fp !== undefined && typeof fp !== 'string')) {
    throw badRequest('invalid_cursor', 'next_cursor is not valid here (its contents are malformed). Omit it to start at the first page.')
  }
  return pagePositionOf(state)
}

export const keysetPositionToWire = (p: KeysetPosition): WireState => ({ k: p.sortValue, i: p.recordId })

/** The keyset position in a super-query cursor, or null when its fields are not the right shape. */
export function keysetPositionFromCursor(state: WireState): KeysetPosition | null {
  const { k, i } = state
  return typeof k === 'string' && typeof i === 'string' ? { sortValue: k, recordId: i } : null
}

export const firstCheckpoint = (): Checkpoint => ({ resourceIndex: 0, next: null, seen: {}, partial: false, windows: {} })

export function checkpointToJson(c: Checkpoint): string {
  return JSON.stringify({
    r: c.resourceIndex,
    pos: c.next && pagePositionToWire(c.next),
    seen: c.seen,
    partial: c.partial,
    ...(c.windows ? { windows: c.windows } : {}),
  })
}

export function checkpointFromJson(text: string): Checkpoint {
  const { r, pos, seen, partial, windows } = JSON.parse(text) as {
    r: number
    pos: WireState | null
    seen: Record<string, number>
    partial: boolean
    windows?: Record<string, CheckpointWindow>
  }
  return { resourceIndex: r, next: pos ? pagePositionOf(pos) : null, seen, partial, ...(windows ? { windows } : {}) }
}
