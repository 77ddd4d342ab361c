/**
 * A super-query that aggregates instead of listing records: `group_by[]` sums the usage of one
 * account's copy per group, and `tenant_id` (instead of integrated_account_id) does it across
 * every account of a tenant, people joined by e-mail (group_by defaults to user there). The
 * answer is the list envelope, rows ordered by id, with keyset cursors on the row id; the
 * record filters narrow which records are summed.
 */
import type { TenantScope } from '../../accounts/tenant-scope'
import { sha256Hex } from '../../crypto/digest'
import type { FieldOptions } from '../../formats/field-options'
import { applyFieldOptions } from '../../formats/field-options'
import { ndjsonStream } from '../../formats/ndjson-stream'
import { badRequest } from '../../lib/http-errors'
import { ownValue } from '../../lib/object-path'
import { resourceKey, type UnifiedResource } from '../../models/model-registry'
import type { GatewayServices } from '../../services'
import { listEnvelope, type UnifiedResult } from '../../unified/list'
import { DEFAULT_LIMIT, type CopyListQuery } from '../../unified/query'
import { parseSuperQueryFilters } from './filters'
import { resolveAggregateScope, UNSYNCED_ACCOUNTS_HEADER, type AggregateTarget } from './aggregate-scope'
import { peopleRows } from './people'
import { scanStoredRecords } from './scan'
import { loadSeats } from './seats'
import { aggregateUsage, type GroupRow } from './usage-aggregate'
import { parseGroupBy, type GroupDimension } from './usage-groups'

export interface AggregateInput {
  services: GatewayServices
  resource: UnifiedResource
  rawQuery: Record<string, unknown>
  query: CopyListQuery
  target: AggregateTarget
  tenant: TenantScope
}

const invalidCursor = (why: string) =>
  badRequest('invalid_cursor', `next_cursor is not valid here (${why}). Omit it to start at the first page.`)

/** Whether the query asks for an aggregate rather than records. */
export function wantsAggregate(rawQuery: Record<string, unknown>): boolean {
  return ownValue(rawQuery, 'group_by') !== undefined || ownValue(rawQuery, 'tenant_id') !== undefined
}

async function computeRows(input: AggregateInput, dims: GroupDimension[]) {
  const { services, resource, rawQuery, target, tenant } = input
  const key = resourceKey(resource)
  const filters = parseSuperQueryFilters(resource, rawQuery)
  const scope = await resolveAggregateScope(services, target, key, tenant)
  const acrossTenant = 'tenantId' in target
  const seats = dims.includes('user') ? await loadSeats(services.db, scope.accounts) : undefined
  const sources = scope.accounts.map((account) => ({
    accountId: account.id,
    integration: account.integration,
    records: scanStoredRecords(services.db, { accountId: account.id, resourceKey: key, filters }),
    emailOfUser: seats?.emailOfUser.get(account.id),
  }))
  const groups = await aggregateUsage(sources, dims, { byAccount: acrossTenant })
  // group_by user alone is the people view: seats, and seat holders without usage.
  const rows = seats && dims.length === 1 ? peopleRows(groups, seats, { emails: filters.emails?.values, byAccount: acrossTenant }) : groups
  const sorted = [...rows.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  return { sorted, filters, scope }
}

export async function aggregateList(input: AggregateInput): Promise<UnifiedResult> {
  const { services, resource, rawQuery, query, target } = input
  if (!resource.aggregates) {
    throw badRequest(
      'invalid_group_by',
      `${resourceKey(resource)} has no aggregates: group_by and tenant_id apply to usage-metering/usage (records of usage and cost)`,
    )
  }
  if (ownValue(rawQuery, 'sort_by') !== undefined) throw badRequest('invalid_filter', 'aggregated rows are ordered by id; drop sort_by')
  const format = query.truto_response_format ?? 'unified'
  if (format === 'raw')
    throw badRequest('invalid_request', 'aggregated rows have no vendor data: use the unified, normalized, stream or debug format')
  const groupBy = ownValue(rawQuery, 'group_by')
  const dims = groupBy === undefined ? (['user'] as GroupDimension[]) : parseGroupBy(groupBy)
  const { sorted, filters, scope } = await computeRows(input, dims)

  const q = (await sha256Hex(`${filters.fingerprint}|${dims.join(',')}`)).slice(0, 16)
  const binding = {
    accountId: 'tenantId' in target ? `tenant:${target.tenantId}` : target.accountId,
    resource: `sqa:${resourceKey(resource)}`,
  }
  const token = query.next_cursor ?? query.cursor
  let start = 0
  if (token) {
    const state = await services.cursors.decode(binding, token)
    if (state.q !== q) throw invalidCursor('it was issued for other filters or another group_by')
    if (typeof state.i !== 'string') throw invalidCursor('its contents are malformed')
    const after = state.i
    start = sorted.findIndex((row) => row.id > after)
    if (start < 0) start = sorted.length
  }
  const limit = query.limit ?? DEFAULT_LIMIT
  const options: FieldOptions = { ignoreRemoteData: false, excludeFields: query.truto_exclude_fields ?? [] }
  const pageAt = (from: number) => sorted.slice(from, from + limit).map((row) => applyFieldOptions(row as GroupRow, options))
  const headers: Record<string, string> = {}
  if (scope.unsynced.length > 0) headers[UNSYNCED_ACCOUNTS_HEADER] = scope.unsynced.map((u) => `${u.id} (${u.code})`).join(', ')

  if (format === 'stream') {
    let next = start + limit
    const stream = ndjsonStream(
      {
        first: pageAt(start),
        nextPage: () => {
          if (next >= sorted.length) return Promise.resolve(null)
          const page = pageAt(next)
          next += limit
          return Promise.resolve(page)
        },
        cancel: () => undefined,
      },
      (err) => services.logger.warn('super-query aggregate stream ended by an error', { error: (err as Error).message }),
    )
    return { status: 200, headers: { ...headers, 'content-type': 'application/x-ndjson; charset=utf-8' }, stream }
  }

  const page = pageAt(start)
  const last = page[page.length - 1]
  const nextCursor = start + limit < sorted.length && last ? await services.cursors.encode(binding, { q, i: last.id }) : null
  const { envelope, headers: keyHeaders } = listEnvelope(page, nextCursor, query.truto_key_by)
  Object.assign(headers, keyHeaders)
  if (format === 'debug') {
    const { equals, emails, ranges } = filters
    const debug = {
      source: 'super_query_aggregate',
      resource: resourceKey(resource),
      group_by: dims,
      filters: { equals, emails: emails ?? null, ranges },
      accounts: scope.accounts.map((a) => a.id),
      unsynced_accounts: scope.unsynced,
      nextCursor,
      resultCount: page.length,
    }
    return { status: 200, headers, json: { result: envelope, debug } }
  }
  return { status: 200, headers, json: envelope }
}
