/** GET /unified/{model}/{resource}/{id}: the bare record, in the format asked for. */
import type { TenantScope } from '../accounts/tenant-scope'
import type { GetMethodSpec, GetViaListSpec } from '../engine/connector-types'
import { fetchGatewayPage, firstPosition } from '../engine/list-engine'
import { prepareRequest, type RequestInputs } from '../engine/request-builder'
import { mapVendorResponse } from '../engine/response-mapping'
import { loadSideLoads } from '../engine/side-loads'
import { callVendor } from '../engine/vendor-call'
import type { VendorExchange } from '../engine/vendor-session'
import type { FieldOptions } from '../formats/field-options'
import { ApiError, badRequest } from '../lib/http-errors'
import { getPath } from '../lib/object-path'
import { resourceKey, type UnifiedResource } from '../models/model-registry'
import type { GatewayServices } from '../services'
import { customExchange } from './custom-fetch'
import { debugInfo } from './debug-info'
import { shapeRecords, type UnifiedResult } from './list'
import { resourceParams, type ResponseFormat, type UnifiedGetQuery } from './query'
import { resolveTarget, type CallerGone, startListWalk, withAccountOutcome, type Target } from './target'

function validateId(id: string): string {
  if (!id || id.length > 512) throw badRequest('invalid_id', 'id must be 1–512 characters')
  if (/[\u0000-\u001f\u007f]/.test(id)) throw badRequest('invalid_id', 'id must not contain control characters')
  return id
}

const notFound = (resource: UnifiedResource, id: string, connectorLabel: string) =>
  new ApiError(404, 'not_found', `${connectorLabel} has no ${resource.resource} with id ${id}`, { remote: { rawResponse: null } })

/** The endpoint for this id: the first `byIdPattern` entry whose pattern matches, else the method's own. */
function getSpecFor(spec: GetMethodSpec, id: string): GetMethodSpec {
  return spec.byIdPattern?.find((alt) => new RegExp(alt.idPattern).test(id)) ?? spec
}

async function getDirect(target: Target<GetMethodSpec>, inputs: RequestInputs, id: string) {
  const { session } = target
  const spec = getSpecFor(target.spec, id)
  const { exchange, sideload: fetched } = spec.fetch
    ? await customExchange(session, spec.fetch, id, inputs.unifiedQuery)
    : { exchange: await callVendor(session, await prepareRequest(session, spec.request, spec.mappings, inputs)), sideload: {} }
  const sideload = { ...(await loadSideLoads(session, spec.sideLoads, inputs, target.account.row.id)), ...fetched }
  const mapped = await mapVendorResponse(session, inputs, spec.mappings, {
    response: exchange.body,
    headers: exchange.headers,
    sideload,
    id,
  })
  const record = Array.isArray(mapped) ? mapped[0] : mapped
  return { record: record && typeof record === 'object' ? (record as Record<string, unknown>) : undefined, exchange }
}

function matchesId(record: Record<string, unknown>, id: string, paths: string[]): boolean {
  return paths.some((p) => {
    const v = getPath(record, p)
    return (typeof v === 'string' || typeof v === 'number') && String(v) === id
  })
}

/** Vendors without a get endpoint: walk the list until the record turns up. */
async function getViaList(services: GatewayServices, target: Target<unknown>, inputs: RequestInputs, id: string) {
  const { connector } = target
  const spec = connector.resources[resourceKey(target.resource)]?.list
  if (!spec) throw badRequest('method_not_supported', `${connector.label} cannot get records without a list`)
  const walk = startListWalk(services, target, spec, inputs)
  const match = (target.spec as GetViaListSpec).match ?? ['id']
  let pos: ReturnType<typeof firstPosition> | null = firstPosition(spec, spec.pageSize.max)
  while (pos) {
    const page = await fetchGatewayPage(
      walk,
      pos,
      { limit: spec.pageSize.max, wholeVendorPage: true },
      services.settings.UNIMETER_MAX_VENDOR_PAGES_PER_REQUEST,
    )
    const found = page.records.find((r) => matchesId(r, id, match))
    if (found) return { record: found, exchange: page.exchanges[page.exchanges.length - 1] }
    pos = page.next
  }
  return { record: undefined, exchange: undefined }
}

/** The record and the vendor exchange it came from, by whichever way the connector gets one. */
function fetchRecord(
  services: GatewayServices,
  target: Target<GetMethodSpec | GetViaListSpec>,
  inputs: RequestInputs,
  id: string,
): Promise<{ record?: Record<string, unknown>; exchange?: VendorExchange }> {
  const spec = target.spec
  const other = 'via' in spec && spec.byOtherKey && new RegExp(spec.byOtherKey.pattern).test(id) ? spec.byOtherKey.get : undefined
  if (other) return getDirect({ ...target, spec: other }, inputs, id)
  return 'via' in spec ? getViaList(services, target, inputs, id) : getDirect(target as Target<GetMethodSpec>, inputs, id)
}

export async function getUnified(
  services: GatewayServices,
  resource: UnifiedResource,
  tenant: TenantScope,
  rawId: string,
  /** `query` as the route validated it; `raw` as sent, for the mappings. */
  { query, raw }: { query: UnifiedGetQuery; raw: Record<string, unknown> },
  callerGone?: CallerGone,
): Promise<UnifiedResult> {
  const id = validateId(rawId)
  const target = await resolveTarget(services, query.integrated_account_id, tenant, resource, 'get', callerGone)
  const format: ResponseFormat = query.truto_response_format ?? 'unified'
  const inputs: RequestInputs = {
    mappingDir: target.mappingDir,
    unifiedQuery: resourceParams(raw),
    rawQuery: raw,
    remoteQuery: query.remote_query ?? {},
    id,
  }
  const result = await withAccountOutcome(services, target, () => fetchRecord(services, target, inputs, id))
  const headers = { ...(result.exchange?.rateLimit ?? {}) }
  if (format === 'raw') {
    if (!result.exchange) throw notFound(resource, id, target.connector.label)
    return { status: 200, headers, json: result.exchange.body }
  }
  if (!result.record) throw notFound(resource, id, target.connector.label)
  const options: FieldOptions = {
    ignoreRemoteData: query.truto_ignore_remote_data === true,
    excludeFields: query.truto_exclude_fields ?? [],
  }
  const [record] = shapeRecords(resource, [result.record], format === 'normalized' ? 'normalized' : 'unified', options)
  if (format === 'debug') return { status: 200, headers, json: { result: record, debug: debugInfo(result.exchange, target.session) } }
  if (format === 'stream') {
    return {
      status: 200,
      headers: { ...headers, 'content-type': 'application/x-ndjson; charset=utf-8' },
      json: undefined,
      stream: new Response(`${JSON.stringify(record)}\n`).body!,
    }
  }
  return { status: 200, headers, json: record }
}
