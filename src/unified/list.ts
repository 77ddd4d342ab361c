/**
 * GET /unified/{model}/{resource}: one gateway page (or the whole list, streamed) in the format
 * the caller asked for.
 */
import type { ListMethodSpec } from '../engine/connector-types'
import { fetchGatewayPage, firstPosition, listCount, type GatewayPage, type ListRun, type PagePosition } from '../engine/list-engine'
import { readWindowPosition } from '../engine/date-windows'
import { hasReport, reportSpec } from '../engine/report-choice'
import { applyFieldOptions, keyByHeaders, keyRecordsBy, type FieldOptions } from '../formats/field-options'
import { ndjsonStream } from '../formats/ndjson-stream'
import { completeRecord, normalizeRecord } from '../formats/normalize'
import type { TenantScope } from '../accounts/tenant-scope'
import { badRequest } from '../lib/http-errors'
import { resourceKey, type UnifiedResource } from '../models/model-registry'
import type { GatewayServices } from '../services'
import { debugInfo } from './debug-info'
import { listParamsOf } from './list-params'
import {
  DEFAULT_LIMIT,
  parseQueryString,
  parseWith,
  requireAccountId,
  resourceParams,
  namesTenant,
  tenantListQuerySchema,
  unifiedListQuerySchema,
  type ResponseFormat,
  type CopyListQuery,
} from './query'
import { noteOutcome, resolveTarget } from './target'

export interface UnifiedResult {
  status: number
  headers: Record<string, string>
  /** JSON body, or a stream for `stream`. */
  json?: unknown
  stream?: ReadableStream<Uint8Array>
}

/** Answers a super-query (local copy) list; provided by the sync module. */
export type SuperQueryHandler = (input: {
  services: GatewayServices
  resource: UnifiedResource
  rawQuery: Record<string, unknown>
  query: CopyListQuery
  /** One integrated account's copy, or (tenant_id) those of every account of a tenant. */
  target: { accountId: string } | { tenantId: string }
  /** The caller's tenant binding: another tenant's account is not found. */
  tenant: TenantScope
}) => Promise<UnifiedResult>

let superQueryHandler: SuperQueryHandler | undefined
export function registerSuperQuery(handler: SuperQueryHandler): void {
  superQueryHandler = handler
}

function superQuery(input: Parameters<SuperQueryHandler>[0]): Promise<UnifiedResult> {
  if (!superQueryHandler)
    throw badRequest('super_query_unavailable', 'truto_super_query needs the sync module, which is not enabled in this gateway')
  return superQueryHandler(input)
}

function decodePosition(state: Record<string, unknown>, spec: ListMethodSpec): PagePosition {
  const { s, o, ps, fp, l, window, report } = state
  const okState = s === null || typeof s === 'string' || (typeof s === 'number' && Number.isFinite(s))
  const okOffset = typeof o === 'number' && Number.isInteger(o) && o >= 0 && o < 1_000_000
  const okSize = typeof ps === 'number' && Number.isInteger(ps) && ps >= 1 && ps <= spec.pageSize.max
  // A cursor signed before the connector lost a `then` list names a list that is gone.
  const okReport = report === undefined || (typeof report === 'string' && hasReport(spec, report))
  const walked = okReport ? reportSpec(spec, report as string | undefined) : spec
  const okList = l === undefined || (typeof l === 'number' && Number.isInteger(l) && l >= 1 && l < listCount(walked))
  const at = window === undefined ? undefined : readWindowPosition(window)
  // A cursor naming a report the connector no longer has cannot go on.
  const okWalk =
    (window === undefined || at !== undefined) && (report === undefined || (typeof report === 'string' && hasReport(spec, report)))
  if (!okState || !okOffset || !okSize || !okList || !okWalk || (fp !== undefined && typeof fp !== 'string')) {
    throw badRequest('invalid_cursor', 'next_cursor is not valid here (its contents are malformed). Omit it to start at the first page.')
  }
  return {
    s: s as PagePosition['s'],
    o: o as number,
    ps: ps as number,
    ...(fp ? { fp: fp as string } : {}),
    ...(l ? { l: l as number } : {}),
    ...(at ? { window: at } : {}),
    ...(report === undefined ? {} : { report: report as string }),
  }
}

export function shapeRecords(resource: UnifiedResource, records: Record<string, unknown>[], format: ResponseFormat, options: FieldOptions) {
  const shape = format === 'normalized' ? normalizeRecord : completeRecord
  return records.map((r) => applyFieldOptions(shape(resource, r), options))
}

/**
 * The list envelope both the live list and the super-query answer, with `result` keyed when
 * truto_key_by asks, and the header that says how many records a shared key replaced.
 */
export function listEnvelope(records: Record<string, unknown>[], nextCursor: string | null, keyBy: string | undefined) {
  const keyed = keyBy ? keyRecordsBy(records, keyBy) : null
  const envelope: Record<string, unknown> = {
    result: keyed ? keyed.result : records,
    next_cursor: nextCursor,
    prev_cursor: null,
    result_count: records.length,
  }
  return { envelope, headers: keyByHeaders(keyed) }
}

export async function listUnified(
  services: GatewayServices,
  resource: UnifiedResource,
  tenant: TenantScope,
  search: string,
  signal?: AbortSignal,
): Promise<UnifiedResult> {
  const raw = parseQueryString(search)
  if (namesTenant(raw)) {
    // A tenant has no single account to ask a vendor: only the local copies can answer.
    const query = parseWith(tenantListQuerySchema, raw)
    parseWith(listParamsOf(resource, services.connectors), resourceParams(raw))
    return superQuery({ services, resource, rawQuery: raw, query, target: { tenantId: query.tenant_id }, tenant })
  }
  requireAccountId(raw)
  const query = parseWith(unifiedListQuerySchema, raw)
  const params = parseWith(listParamsOf(resource, services.connectors), resourceParams(raw))
  if (query.truto_super_query !== undefined) {
    return superQuery({ services, resource, rawQuery: raw, query, target: { accountId: query.integrated_account_id }, tenant })
  }

  const target = await resolveTarget(services, query.integrated_account_id, tenant, resource, 'list', signal)
  const { spec, session, account } = target
  const format: ResponseFormat = query.truto_response_format ?? 'unified'
  const ignoreLimit = query.truto_ignore_limit === true
  const limit = ignoreLimit ? spec.pageSize.default : (query.limit ?? DEFAULT_LIMIT)
  const binding = { accountId: account.row.id, resource: resourceKey(resource) }
  const token = query.next_cursor ?? query.cursor
  const start = token ? decodePosition(await services.cursors.decode(binding, token), spec) : firstPosition(spec, limit)
  const run: ListRun = {
    session,
    spec,
    inputs: {
      mappingDir: target.mappingDir,
      unifiedQuery: { ...resourceParams(raw), ...params, limit, ...(token ? { cursor: token } : {}) },
      rawQuery: raw,
      remoteQuery: query.remote_query ?? {},
    },
    accountId: account.row.id,
    sideLoadCache: services.sideLoadCache,
  }
  const options: FieldOptions = {
    ignoreRemoteData: query.truto_ignore_remote_data === true,
    excludeFields: query.truto_exclude_fields ?? [],
  }
  const maxPages = services.settings.UNIMETER_MAX_VENDOR_PAGES_PER_REQUEST
  const pageOptions = { limit, wholeVendorPage: ignoreLimit || format === 'raw' }

  let page: GatewayPage
  try {
    page = await fetchGatewayPage(run, start, pageOptions, maxPages)
  } catch (err) {
    await noteOutcome(services, account, err)
    throw err
  }
  await noteOutcome(services, account)
  const nextCursor = page.next ? await services.cursors.encode(binding, { ...page.next }) : null
  const headers = { ...page.rateLimit }

  if (format === 'stream') {
    let pos = page.next
    const stream = ndjsonStream(
      {
        first: shapeRecords(resource, page.records, 'unified', options),
        nextPage: async () => {
          if (!pos) return null
          // Each page gets the full per-request deadline: a long export is many requests' worth.
          session.deadline = Date.now() + services.settings.UNIMETER_REQUEST_DEADLINE_MS
          const next = await fetchGatewayPage(run, pos, pageOptions, maxPages)
          pos = next.next
          return shapeRecords(resource, next.records, 'unified', options)
        },
        cancel: () => target.abort.abort(),
      },
      (err) => services.logger.warn('stream ended by an error', { account: account.row.id, error: (err as Error).message }),
    )
    return { status: 200, headers: { ...headers, 'content-type': 'application/x-ndjson; charset=utf-8' }, stream }
  }

  if (format === 'raw') {
    const body = page.exchanges[page.exchanges.length - 1]?.body ?? null
    if (nextCursor) headers['x-unimeter-next-cursor'] = nextCursor
    return { status: 200, headers, json: body }
  }

  const records = shapeRecords(resource, page.records, format, options)
  const { envelope, headers: keyHeaders } = listEnvelope(records, nextCursor, query.truto_key_by)
  Object.assign(headers, keyHeaders)
  if (page.isPartial) envelope.is_partial_response = true
  if (format === 'debug') {
    const last = page.exchanges[page.exchanges.length - 1]
    return {
      status: 200,
      headers,
      json: {
        result: envelope,
        debug: debugInfo(last, account.secrets, {
          nextCursor,
          isLooping: page.isLooping,
          resultCount: records.length,
          vendorRequests: page.exchanges.length,
        }),
      },
    }
  }
  return { status: 200, headers, json: envelope }
}
