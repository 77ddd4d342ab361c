/**
 * GET /unified/{model}/{resource}: one gateway page (or the whole list, streamed) in the format
 * the caller asked for.
 */
import { fetchGatewayPage, firstPosition, listCount } from '../engine/list-engine'
import { pagePositionFromCursor, pagePositionToWire } from '../engine/position-codec'
import { hasReport, reportSpec } from '../engine/report-choice'
import { applyFieldOptions, keyByHeaders, keyRecordsBy, type FieldOptions } from '../formats/field-options'
import { ndjsonStream } from '../formats/ndjson-stream'
import { recordCompleter } from '../formats/complete-record'
import { normalizeRecord } from '../formats/normalize'
import type { TenantScope } from '../accounts/tenant-scope'
import { resourceKey, type UnifiedResource } from '../models/model-registry'
import type { GatewayServices } from '../services'
import { debugInfo } from './debug-info'
import {
  DEFAULT_LIMIT,
  missingAccountIdError,
  namesTenant,
  resourceParams,
  type CopyListQuery,
  type ResponseFormat,
  type RoutedListQuery,
} from './query'
import { resolveTarget, type CallerGone, startListWalk, withAccountOutcome } from './target'

export interface UnifiedResult {
  status: number
  headers: Record<string, string>
  /** JSON body, or a stream for `stream`. */
  json?: unknown
  stream?: ReadableStream<Uint8Array>
}

/** Answers a `truto_super_query` list from the local copy the sync jobs keep (`services.superQuery`). */
export type SuperQueryReader = (input: {
  resource: UnifiedResource
  rawQuery: Record<string, unknown>
  query: CopyListQuery
  /** One integrated account's copy, or (tenant_id) those of every account of a tenant. */
  target: { accountId: string } | { tenantId: string }
  /** The caller's tenant binding: another tenant's account is not found. */
  tenant: TenantScope
}) => Promise<UnifiedResult>

export function shapeRecords(resource: UnifiedResource, records: Record<string, unknown>[], format: ResponseFormat, options: FieldOptions) {
  const shape = format === 'normalized' ? (r: Record<string, unknown>) => normalizeRecord(resource, r) : recordCompleter(resource.schema)
  return records.map((r) => applyFieldOptions(shape(r), options))
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
  /** `query` as the route validated it (the resource's list parameters included); `raw` as sent, for the mappings. */
  { query, raw }: { query: RoutedListQuery; raw: Record<string, unknown> },
  callerGone?: CallerGone,
): Promise<UnifiedResult> {
  if (namesTenant(raw)) {
    // A tenant has no single account to ask a vendor: only the local copies can answer.
    return services.superQuery({ resource, rawQuery: raw, query, target: { tenantId: String(query.tenant_id) }, tenant })
  }
  const accountId = query.integrated_account_id
  if (accountId === undefined) throw missingAccountIdError()
  if (query.truto_super_query !== undefined) {
    return services.superQuery({ resource, rawQuery: raw, query, target: { accountId }, tenant })
  }

  const target = await resolveTarget(services, accountId, tenant, resource, 'list', callerGone)
  const { spec, session, account } = target
  const format: ResponseFormat = query.truto_response_format ?? 'unified'
  const ignoreLimit = query.truto_ignore_limit === true
  const limit = ignoreLimit ? spec.pageSize.default : (query.limit ?? DEFAULT_LIMIT)
  const binding = { accountId: account.row.id, resource: resourceKey(resource) }
  const token = query.next_cursor ?? query.cursor
  const start = token
    ? pagePositionFromCursor(await services.cursors.decode(binding, token), {
        maxPageSize: spec.pageSize.max,
        listCount: (report) => listCount(reportSpec(spec, report)),
        hasReport: (report) => hasReport(spec, report),
      })
    : firstPosition(spec, limit)
  const walk = startListWalk(services, target, spec, {
    unifiedQuery: { ...resourceParams(query), limit, ...(token ? { cursor: token } : {}) },
    rawQuery: raw,
    remoteQuery: query.remote_query ?? {},
  })
  const options: FieldOptions = {
    ignoreRemoteData: query.truto_ignore_remote_data === true,
    excludeFields: query.truto_exclude_fields ?? [],
  }
  const maxPages = services.settings.UNIMETER_MAX_VENDOR_PAGES_PER_REQUEST
  const pageOptions = { limit, wholeVendorPage: ignoreLimit || format === 'raw' }

  const page = await withAccountOutcome(services, target, () => fetchGatewayPage(walk, start, pageOptions, maxPages))
  const nextCursor = page.next ? await services.cursors.encode(binding, pagePositionToWire(page.next)) : null
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
          const next = await fetchGatewayPage(walk, pos, pageOptions, maxPages)
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
        debug: debugInfo(last, session, {
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
