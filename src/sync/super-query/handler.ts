/**
 * `truto_super_query` on a unified list: the same envelope, cursors, formats and field options
 * as a live list, answered from the local copy the sync jobs keep, with filters and sort_by.
 */
import { accountOr404 } from '../../accounts/tenant-scope'
import { sha256Hex } from '../../crypto/digest'
import type { FieldOptions } from '../../formats/field-options'
import { ndjsonStream } from '../../formats/ndjson-stream'
import { keysetPositionFromCursor, keysetPositionToWire, type KeysetPosition } from '../../engine/position-codec'
import { badRequest } from '../../lib/http-errors'
import { resourceKey } from '../../models/model-registry'
import type { GatewayServices } from '../../services'
import { listEnvelope, shapeRecords, type SuperQueryReader, type UnifiedResult } from '../../unified/list'
import { DEFAULT_LIMIT, type ResponseFormat } from '../../unified/query'
import { aggregateList, wantsAggregate } from './aggregate-handler'
import { parseSuperQueryFilters } from './filters'
import { readStoredPage } from './read'
import { assertSyncedCopy } from './readiness'

const invalidCursor = (why: string) =>
  badRequest('invalid_cursor', `next_cursor is not valid here (${why}). Omit it to start at the first page.`)

export async function superQueryList(services: GatewayServices, input: Parameters<SuperQueryReader>[0]): Promise<UnifiedResult> {
  const { resource, rawQuery, query, target, tenant } = input
  if (wantsAggregate(rawQuery) || !('accountId' in target)) return aggregateList({ services, ...input })
  const { accountId } = target
  await accountOr404(services, accountId, tenant)
  const filters = parseSuperQueryFilters(resource, rawQuery)
  const key = resourceKey(resource)
  await assertSyncedCopy(services, accountId, key)
  const binding = { accountId, resource: `sq:${key}` }
  // The cursor remembers which filters and sort it belongs to (hashed: a list of emails can be long).
  const q = (await sha256Hex(filters.fingerprint)).slice(0, 16)
  const token = query.next_cursor ?? query.cursor
  let after: KeysetPosition | undefined
  if (token) {
    const state = await services.cursors.decode(binding, token)
    if (state.q !== q) throw invalidCursor('it was issued for other filters or another sort_by')
    after = keysetPositionFromCursor(state) ?? undefined
    if (!after) throw invalidCursor('its contents are malformed')
  }
  const format: ResponseFormat = query.truto_response_format ?? 'unified'
  const limit = query.limit ?? DEFAULT_LIMIT
  const options: FieldOptions = {
    ignoreRemoteData: query.truto_ignore_remote_data === true,
    excludeFields: query.truto_exclude_fields ?? [],
  }
  const read = (from?: KeysetPosition) => readStoredPage(services, { accountId, resource, resourceKey: key, filters, after: from, limit })
  const page = await read(after)
  const cursorOf = (next: KeysetPosition | null) =>
    next ? services.cursors.encode(binding, { q, ...keysetPositionToWire(next) }) : Promise.resolve(null)

  if (format === 'stream') {
    let next = page.next
    const stream = ndjsonStream(
      {
        first: shapeRecords(resource, page.records, 'unified', options),
        nextPage: async () => {
          if (!next) return null
          const more = await read(next)
          next = more.next
          return shapeRecords(resource, more.records, 'unified', options)
        },
        cancel: () => undefined,
      },
      (err) => services.logger.warn('super-query stream ended by an error', { account: accountId, error: (err as Error).message }),
    )
    return { status: 200, headers: { 'content-type': 'application/x-ndjson; charset=utf-8' }, stream }
  }

  const nextCursor = await cursorOf(page.next)
  // raw: what the vendor sent for each record, as the live raw format returns vendor data.
  const records =
    format === 'raw'
      ? page.records.map((r) => (r.remote_data ?? {}) as Record<string, unknown>)
      : shapeRecords(resource, page.records, format, options)
  const { envelope, headers } = listEnvelope(records, nextCursor, query.truto_key_by)
  if (format === 'debug') {
    const { equals, emails, ranges, sort } = filters
    const debug = {
      source: 'super_query',
      resource: key,
      filters: { equals, emails: emails ?? null, ranges },
      sort,
      nextCursor,
      resultCount: records.length,
    }
    return { status: 200, headers, json: { result: envelope, debug } }
  }
  return { status: 200, headers, json: envelope }
}
