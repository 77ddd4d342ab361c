/**
 * Side loads: extra vendor data a response mapping joins on (Claude's usage report for
 * last_active_at, Cursor's spend for spend_limit). Fetched once per gateway request — never per
 * record — and cached briefly so a stream or a page walk does not refetch it for every page.
 */
import { getPath } from '../lib/object-path'
import { pathPicker } from '../lib/pick-paths'
import type { SideLoadSpec } from './connector-types'
import { nextVendorState, pageRequest, paginationParams, type VendorState } from './pagination'
import { prepareRequest, type RequestInputs } from './request-builder'
import { callVendor } from './vendor-call'
import type { VendorSession } from './vendor-session'

/** Promises kept `ttlMs` under a key, at most `max` (the oldest goes first); a failed one is forgotten. */
class PromiseCache<T> {
  private readonly entries = new Map<string, { at: number; value: Promise<T> }>()
  constructor(
    private readonly ttlMs: number,
    private readonly max: number,
  ) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key)
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value
    const value = load()
    value.catch(() => this.entries.delete(key))
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as string)
    this.entries.set(key, { at: Date.now(), value })
    return value
  }
}

/**
 * Side-load records by the request that fetched them, and (`requestKey`) that request's key by
 * what it was built from, so a request whose side loads are cached does not build each side
 * load's request again (its mappings evaluated) just to find them. The key of a side load whose
 * request follows the clock (Cursor's activity: the 30 days up to this minute) is then up to
 * `ttlMs` old; its records are fetched with the request of the moment, and are never older
 * than `ttlMs` either way.
 */
export class SideLoadCache {
  private readonly records: PromiseCache<unknown[]>
  private readonly keys: PromiseCache<string>
  constructor(ttlMs = 30_000, max = 200) {
    this.records = new PromiseCache(ttlMs, max)
    this.keys = new PromiseCache(ttlMs, max)
  }

  get(key: string, load: () => Promise<unknown[]>): Promise<unknown[]> {
    return this.records.get(key, load)
  }

  requestKey(inputsKey: string, build: () => Promise<string>): Promise<string> {
    return this.keys.get(inputsKey, build)
  }
}

/** Where a side load's records are filed: the request it sends for `inputs`, as the builder renders it. */
async function requestKey(session: VendorSession, spec: SideLoadSpec, name: string, inputs: RequestInputs, accountId: string) {
  const probe = await prepareRequest(session, spec.request, spec.mappings, inputs)
  // The fields kept are part of what is filed: two specs of one name keeping different fields never share records.
  const kept = spec.fields ? `|${spec.fields.join(',')}` : ''
  return `${accountId}|${session.baseUrl}|${name}|${probe.path}|${JSON.stringify(probe.query)}|${JSON.stringify(probe.body ?? null)}${kept}`
}

/**
 * Everything a side load's request is built from but the side load itself: the account as it
 * stands (`version`: its row's last update, which any change to its credentials or context
 * moves) and the request's inputs.
 */
function inputsKey(session: VendorSession, inputs: RequestInputs, accountId: string, version: string): string {
  const { mappingDir, unifiedQuery, rawQuery, remoteQuery, id, window } = inputs
  return `${accountId}|${version}|${session.baseUrl}|${JSON.stringify([mappingDir, unifiedQuery, rawQuery, remoteQuery, id ?? null, window ?? null])}`
}

async function walk(session: VendorSession, spec: SideLoadSpec, inputs: RequestInputs): Promise<unknown[]> {
  const records: unknown[] = []
  const pagination = spec.pagination ?? { type: 'none' as const }
  const pageSize = spec.pageSize ?? 100
  let state: VendorState = null
  const seen = new Set<string>()
  // Each page is cut down to the named fields as it comes, so the whole answer is never held.
  const keep = spec.fields ? pathPicker(spec.fields) : undefined
  for (let page = 0; page < (spec.maxPages ?? 10); page++) {
    const req = await prepareRequest(session, spec.request, spec.mappings, inputs, paginationParams(pagination, state, pageSize))
    const ex = await callVendor(session, pageRequest(req, pagination, state, session.baseUrl))
    const raw = getPath(ex.body, spec.recordsPath)
    // A side load may be a single object (e.g. the organization): it is then one record.
    const list = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? [raw] : []
    records.push(...(keep ? list.map(keep) : list))
    const { next } = nextVendorState(pagination, state, ex.body, list.length, pageSize, {
      headers: ex.headers,
      url: ex.url,
      baseUrl: session.baseUrl,
    })
    if (next === null || seen.has(String(next))) break
    seen.add(String(next))
    state = next
  }
  return records
}

function isSet(session: VendorSession, field: string): boolean {
  const v = session.credentials[field] ?? session.context[field]
  return v !== undefined && v !== null && v !== ''
}

/** A side load's `whenSet` / `unlessSet` conditions, read from the account's fields. */
function wanted(session: VendorSession, spec: SideLoadSpec): boolean {
  if (spec.whenSet && !spec.whenSet.every((f) => isSet(session, f))) return false
  if (spec.unlessSet && spec.unlessSet.every((f) => isSet(session, f))) return false
  return true
}

/**
 * `cache` keeps records across requests; with `accountVersion` (the account row's `updated_at`)
 * it also keeps the key each side load's records are found under (see SideLoadCache).
 */
export async function loadSideLoads(
  session: VendorSession,
  sideLoads: Record<string, SideLoadSpec> | undefined,
  inputs: RequestInputs,
  accountId: string,
  cache?: SideLoadCache,
  accountVersion?: string,
): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {}
  // The same for every side load of the request: worked out once.
  let inputsId: string | undefined
  for (const [name, spec] of Object.entries(sideLoads ?? {})) {
    if (!wanted(session, spec)) {
      out[name] = []
      continue
    }
    const load = () => walk(session, spec, inputs)
    const key = () => requestKey(session, spec, name, inputs, accountId)
    try {
      if (!cache) out[name] = await load()
      else if (accountVersion === undefined) out[name] = await cache.get(await key(), load)
      else {
        inputsId ??= inputsKey(session, inputs, accountId, accountVersion)
        out[name] = await cache.get(await cache.requestKey(`${name}|${inputsId}`, key), load)
      }
    } catch (err) {
      if (spec.optional === false) throw err
      session.deps.logger.warn('side load failed; its fields stay empty', {
        connector: session.connector.id,
        sideLoad: name,
        error: (err as Error).message,
      })
      out[name] = []
    }
  }
  return out
}
