/**
 * Lists: turns vendor pages into gateway pages of exactly `limit` records (fetching more vendor
 * pages when the vendor returns fewer, slicing and remembering an offset when it returns more),
 * detects vendors that loop, and walks every page lazily for `stream` and sync.
 */
import { getPath } from '../lib/object-path'
import type { ListMethodSpec, VendorListSpec } from './connector-types'
import { nextWindow, periodOf, windowOf, windowParams, type WindowBinding, type WindowPosition } from './date-windows'
import { MappingError } from './mapping/mapping-engine'
import { nextVendorState, pageRequest, pagesAreNumbered, paginationParams, type VendorState } from './pagination'
import { withLinkedRecords } from './linked-records'
import { checkRequirement } from './method-requirement'
import { chooseReport, type ChosenReport } from './report-choice'
import { prepareRequest, type RequestInputs } from './request-builder'
import { loadSideLoads, type SideLoadCache } from './side-loads'
import { mapVendorResponse, responseMappingFile } from './response-mapping'
import { callVendor } from './vendor-call'
import type { VendorExchange, VendorSession } from './vendor-session'
import { invalidVendorBody } from './vendor-errors'
import type { PagePosition } from './position-codec'

export type UnifiedRecord = Record<string, unknown>

/** One walk of a vendor list, page after page (a live list, a get by list, a sync of a resource). */
export interface ListWalk {
  session: VendorSession
  spec: ListMethodSpec
  inputs: RequestInputs
  accountId: string
  /** The account row's `updated_at`: with it, side loads' cache keys are kept too (see side-loads.ts). */
  accountVersion?: string
  sideLoadCache?: SideLoadCache
  /** Memoized side loads for this walk. */
  sideLoads?: Promise<Record<string, unknown[]>>
  /** The vendor page fetched last, for a walk that goes on inside a page it sliced (see pageAt). */
  lastPage?: { key: string; page: VendorPage }
  /** The report this walk reads, chosen on its first page (see walkSpec). */
  chosen?: ChosenReport
  /** The clock default periods count back from; tests pin it. */
  now?: () => number
}

export interface VendorPage {
  exchange: VendorExchange
  /** How many unified records the page holds. */
  count: number
  /** Its unified records `from` up to `to` (a record-wise list maps only these, when asked). */
  records(from: number, to?: number): Promise<UnifiedRecord[]>
  rawCount: number
  fingerprint: string
}

export interface GatewayPage {
  records: UnifiedRecord[]
  next: PagePosition | null
  /** The vendor said there was more than it gave, or it looped: the list is incomplete. */
  isPartial: boolean
  isLooping: boolean
  exchanges: VendorExchange[]
  rateLimit: Record<string, string>
}

export interface PageOptions {
  limit: number
  /** Return the vendor page as it comes (truto_ignore_limit, raw): no slicing, no filling. */
  wholeVendorPage?: boolean
}

/** A page's parameters: the window's, then the pagination's (which always win, so a walk stays correct). */
function pageParams(spec: VendorListSpec, state: VendorState, pageSize: number, window: WindowBinding | undefined) {
  const paging = paginationParams(spec.pagination, state, pageSize)
  if (!spec.windows || !window) return paging
  const dated = windowParams(spec.windows, window)
  return { query: { ...dated.query, ...paging.query }, body: { ...dated.body, ...paging.body } }
}

/** FNV-1a, enough to tell two pages apart without storing them. */
function fingerprintOf(records: unknown[]): string {
  if (records.length === 0) return 'empty'
  const text = `${records.length}|${JSON.stringify(records[0])}|${JSON.stringify(records[records.length - 1])}`
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return (h >>> 0).toString(36)
}

/** A copy of `body` with the array at dot path `path` replaced (shallow copies along the path). */
function withRecords(body: unknown, path: string, records: unknown[]): unknown {
  if (!path) return records
  const [head, ...rest] = path.split('.')
  const obj = body as Record<string, unknown>
  return { ...obj, [head]: withRecords(obj[head], rest.join('.'), records) }
}

export function firstPosition(spec: ListMethodSpec, limit: number): PagePosition {
  return { vendorState: null, offset: 0, pageSize: Math.max(1, Math.min(limit, spec.pageSize.max)) }
}

/** How many vendor lists a walk of `spec` can go through (the method's own, then each `then`). */
export const listCount = (spec: ListMethodSpec): number => 1 + (spec.then?.length ?? 0)

/**
 * The lists this walk walks. `remote_query` is written for the first list's endpoint (a vendor
 * filter such as Claude's `email`): a filtered walk is that endpoint's answer alone, rather than
 * the filter sent to endpoints that would ignore it or refuse it.
 */
const walkListCount = (walk: ListWalk): number => (Object.keys(walk.inputs.remoteQuery).length > 0 ? 1 : listCount(walkSpec(walk)))

/** The list a walk walks: the report it chose, or the method's own. */
const walkSpec = (walk: ListWalk): ListMethodSpec => walk.chosen?.spec ?? walk.spec

/**
 * Fixes the report of a walk from where it starts (a cursor names its report), once; a cursor
 * that disagrees with the query, or names a report the connector lost, is refused.
 */
function chooseWalk(walk: ListWalk, start: PagePosition): void {
  if (walk.chosen && walk.chosen.name === start.report) return
  walk.chosen = chooseReport(walk.spec, walk.inputs.unifiedQuery, walk.session.connector.label, start.report)
  // A report may need account fields its list does not (a second key): the method's own were checked already.
  const { name, spec } = walk.chosen
  const param = walk.spec.reports?.param
  if (param)
    checkRequirement(walk.session.connector.label, `serve ${param}=${name}`, spec.requires, walk.session.credentials, walk.session.context)
}

/**
 * The position with its window filled in: a walk entering a windowed list starts at the first
 * window of the period the query asks for (or the list's default period).
 */
function placed(walk: ListWalk, pos: PagePosition): PagePosition {
  const report = walk.chosen?.name
  const withReport = report === undefined || pos.report === report ? pos : { ...pos, report }
  const windows = vendorList(walkSpec(walk), withReport.listIndex ?? 0, withReport.pageSize).list.windows
  if (!windows || withReport.window) return withReport
  const now = walk.now?.() ?? Date.now()
  return { ...withReport, window: periodOf(windows, walk.inputs.unifiedQuery, now, walk.session.connector.label) }
}

/** The vendor list `l` of a walk, and the page size it is asked for (never above its own maximum). */
function vendorList(spec: ListMethodSpec, l: number, pageSize: number): { list: VendorListSpec; pageSize: number } {
  if (l === 0) return { list: spec, pageSize: Math.min(pageSize, spec.pageSize.max) }
  const then = spec.then?.[l - 1]
  if (!then) throw new Error(`list ${l} does not exist`)
  return { list: then, pageSize: Math.min(pageSize, then.maxPageSize ?? pageSize) }
}

export async function fetchVendorPage(
  walk: ListWalk,
  state: VendorState,
  requestedSize: number,
  l = 0,
  windowAt?: WindowPosition,
): Promise<VendorPage> {
  const { session } = walk
  const { list: spec, pageSize } = vendorList(walkSpec(walk), l, requestedSize)
  const window = spec.windows && windowAt ? windowOf(spec.windows, windowAt) : undefined
  const inputs = window ? { ...walk.inputs, window } : walk.inputs
  const req = await prepareRequest(session, spec.request, spec.mappings, inputs, pageParams(spec, state, pageSize, window))
  const exchange = await callVendor(session, pageRequest(req, spec.pagination, state, session.baseUrl))
  if (spec.linkedRecords) exchange.body = await withLinkedRecords(session, spec.linkedRecords, exchange.body, spec.recordsPath)
  let raw = getPath(exchange.body, spec.recordsPath)
  if (spec.keyedRecords && raw !== null && typeof raw === 'object' && !Array.isArray(raw)) raw = Object.values(raw)
  if (spec.singleRecord && raw !== null && typeof raw === 'object' && !Array.isArray(raw)) raw = [raw]
  if (raw !== undefined && raw !== null && !Array.isArray(raw)) {
    throw invalidVendorBody(session, JSON.stringify(exchange.body), `expected a list at "${spec.recordsPath || '(body)'}"`)
  }
  let rawRecords = (raw as unknown[] | undefined) ?? []
  let response = exchange.body
  if (pagesAreNumbered(spec.pagination) && Array.isArray(raw) && raw.length > pageSize) {
    // Page n starts at record (n-1)·pageSize whatever page n-1 held: records past pageSize are
    // the next page's first ones, and keeping them would serve them twice.
    rawRecords = raw.slice(0, pageSize)
    response = withRecords(exchange.body, spec.recordsPath, rawRecords)
  }
  walk.sideLoads ??= loadSideLoads(session, walkSpec(walk).sideLoads, walk.inputs, walk.accountId, walk.sideLoadCache, walk.accountVersion)
  const sideload = await walk.sideLoads
  const listEnds = nextVendorState(spec.pagination, state, exchange.body, rawRecords.length, pageSize).next === null
  const last = listEnds && !(spec.windows && windowAt && nextWindow(spec.windows, windowAt))
  const mapRecords = async (records?: unknown[]): Promise<UnifiedRecord[]> => {
    const mapped = await mapVendorResponse(session, inputs, spec.mappings, {
      response: records ? withRecords(response, spec.recordsPath, records) : response,
      page: { last },
      ...(window ? { window } : {}),
      headers: exchange.headers,
      sideload,
    })
    return recordsOf(mapped, responseMappingFile(inputs, spec.mappings))
  }
  const page = { exchange, rawCount: rawRecords.length, fingerprint: fingerprintOf(rawRecords) }
  if (spec.recordWise && Array.isArray(raw)) {
    const objects = rawRecords.filter(isObjectRecord)
    const file = responseMappingFile(inputs, spec.mappings)
    return { ...page, count: objects.length, records: (from, to) => mapRecordWise(file, objects, from, to ?? objects.length, mapRecords) }
  }
  const list = await mapRecords()
  return { ...page, count: list.length, records: async (from, to) => list.slice(from, to) }
}

const isObjectRecord = (r: unknown): boolean => r !== null && typeof r === 'object' && !Array.isArray(r)

/** The records a response mapping returned: objects, nulls dropped. */
function recordsOf(mapped: unknown, file: string): UnifiedRecord[] {
  const list = mapped === undefined || mapped === null ? [] : Array.isArray(mapped) ? mapped : [mapped]
  for (const r of list) {
    if (r !== null && !isObjectRecord(r)) {
      throw new MappingError(500, 'mapping_error', `Mapping ${file} must return records (objects), got ${typeof r}`)
    }
  }
  return list.filter((r) => r !== null) as UnifiedRecord[]
}

/**
 * Records `from`..`to` of a record-wise list, mapping only those vendor records: the answer the
 * mapping gets holds just them, and one record comes back for each (else the list is not
 * record-wise and the page would be served wrong: a mapping error rather than a silent shift).
 */
async function mapRecordWise(
  file: string,
  objects: unknown[],
  from: number,
  to: number,
  mapRecords: (records: unknown[]) => Promise<UnifiedRecord[]>,
): Promise<UnifiedRecord[]> {
  const served = objects.slice(from, to)
  if (served.length === 0) return []
  const records = await mapRecords(served)
  if (records.length !== served.length) {
    throw new MappingError(
      500,
      'mapping_error',
      `Mapping ${file} is record-wise but returned ${records.length} records for ${served.length}`,
    )
  }
  return records
}

/**
 * The vendor page at `pos`. A walk that resumes inside the page it sliced last (a stream going on
 * to its next gateway page) reuses it: an unpaginated vendor (one answer holding everything)
 * would otherwise be fetched again for every gateway page of the stream.
 */
async function pageAt(walk: ListWalk, pos: PagePosition): Promise<VendorPage> {
  const key = JSON.stringify([pos.vendorState, pos.pageSize, pos.listIndex ?? 0, pos.window?.at, pos.report])
  if (pos.offset > 0 && walk.lastPage?.key === key) return walk.lastPage.page
  const page = await fetchVendorPage(walk, pos.vendorState, pos.pageSize, pos.listIndex ?? 0, pos.window)
  walk.lastPage = { key, page }
  return page
}

export async function fetchGatewayPage(
  walk: ListWalk,
  start: PagePosition,
  options: PageOptions,
  maxVendorPages: number,
): Promise<GatewayPage> {
  chooseWalk(walk, start)
  const spec = walkSpec(walk)
  const collected: UnifiedRecord[] = []
  const exchanges: VendorExchange[] = []
  let pos: PagePosition = placed(walk, start)
  const seen = new Set<string>([JSON.stringify([pos.listIndex ?? 0, pos.window?.at, pos.vendorState])])
  let isPartial = false
  let isLooping = false
  let next: PagePosition | null = null

  for (let fetched = 0; ; fetched++) {
    if (fetched >= maxVendorPages) {
      // Bounded work per request: hand back what we have and where to resume.
      next = pos
      break
    }
    const page = await pageAt(walk, pos)
    exchanges.push(page.exchange)
    if (page.fingerprint !== 'empty' && page.fingerprint === pos.fingerprint && pos.offset === 0) {
      isLooping = true
      isPartial = true
      break
    }
    const need = options.limit - collected.length
    if (!options.wholeVendorPage && page.count - pos.offset > need) {
      collected.push(...(await page.records(pos.offset, pos.offset + need)))
      next = { ...pos, offset: pos.offset + need }
      break
    }
    collected.push(...(await page.records(pos.offset)))
    const l = pos.listIndex ?? 0
    const { list, pageSize } = vendorList(spec, l, pos.pageSize)
    const { exchange } = page
    const step = nextVendorState(list.pagination, pos.vendorState, exchange.body, page.rawCount, pageSize, {
      headers: exchange.headers,
      url: exchange.url,
      baseUrl: walk.session.baseUrl,
    })
    if (step.strandedMore) isPartial = true
    const within = { ...(l ? { listIndex: l } : {}), ...(pos.report === undefined ? {} : { report: pos.report }) }
    const following = step.next === null && list.windows && pos.window ? nextWindow(list.windows, pos.window) : null
    if (following) {
      // This window is done: the walk goes on with the first page of the next window.
      pos = { vendorState: null, offset: 0, pageSize: pos.pageSize, ...within, window: following }
    } else if (step.next === null) {
      // This list is done: the walk goes on with the first page of the next one, if any.
      if (l + 1 >= walkListCount(walk)) break
      pos = placed(walk, {
        vendorState: null,
        offset: 0,
        pageSize: pos.pageSize,
        listIndex: l + 1,
        ...(pos.report === undefined ? {} : { report: pos.report }),
      })
    } else {
      const key = JSON.stringify([l, pos.window?.at, step.next])
      if (seen.has(key)) {
        isLooping = true
        isPartial = true
        break
      }
      seen.add(key)
      pos = {
        vendorState: step.next,
        offset: 0,
        pageSize: pos.pageSize,
        fingerprint: page.fingerprint,
        ...within,
        ...(pos.window ? { window: pos.window } : {}),
      }
    }
    if (options.wholeVendorPage || collected.length >= options.limit) {
      next = pos
      break
    }
  }
  const last = exchanges[exchanges.length - 1]
  return { records: collected, next, isPartial, isLooping, exchanges, rateLimit: last?.rateLimit ?? {} }
}
