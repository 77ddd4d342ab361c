/**
 * Side loads: extra vendor data a response mapping joins on (Claude's usage report for
 * last_active_at, Cursor's spend for spend_limit). Fetched once per gateway request — never per
 * record — and cached briefly so a stream or a page walk does not refetch it for every page.
 */
import { getPath } from '../lib/object-path'
import type { SideLoadSpec } from './connector-types'
import { nextVendorState, pageRequest, paginationParams, type VendorState } from './pagination'
import { prepareRequest, type RequestInputs } from './request-builder'
import { callVendor } from './vendor-call'
import type { VendorSession } from './vendor-session'

export class SideLoadCache {
  private readonly entries = new Map<string, { at: number; value: Promise<unknown[]> }>()
  constructor(
    private readonly ttlMs = 30_000,
    private readonly max = 200,
  ) {}

  get(key: string, load: () => Promise<unknown[]>): Promise<unknown[]> {
    const hit = this.entries.get(key)
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value
    const value = load()
    value.catch(() => this.entries.delete(key))
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as string)
    this.entries.set(key, { at: Date.now(), value })
    return value
  }
}

async function walk(session: VendorSession, spec: SideLoadSpec, inputs: RequestInputs): Promise<unknown[]> {
  const records: unknown[] = []
  const pagination = spec.pagination ?? { type: 'none' as const }
  const pageSize = spec.pageSize ?? 100
  let state: VendorState = null
  const seen = new Set<string>()
  for (let page = 0; page < (spec.maxPages ?? 10); page++) {
    const req = await prepareRequest(session, spec.request, spec.mappings, inputs, paginationParams(pagination, state, pageSize))
    const ex = await callVendor(session, pageRequest(req, pagination, state, session.baseUrl))
    const raw = getPath(ex.body, spec.recordsPath)
    // A side load may be a single object (e.g. the organization): it is then one record.
    const list = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? [raw] : []
    records.push(...list)
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

export async function loadSideLoads(
  session: VendorSession,
  sideLoads: Record<string, SideLoadSpec> | undefined,
  inputs: RequestInputs,
  accountId: string,
  cache?: SideLoadCache,
): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {}
  for (const [name, spec] of Object.entries(sideLoads ?? {})) {
    if (!wanted(session, spec)) {
      out[name] = []
      continue
    }
    const load = () => walk(session, spec, inputs)
    try {
      const probe = await prepareRequest(session, spec.request, spec.mappings, inputs)
      const key = `${accountId}|${session.baseUrl}|${name}|${probe.path}|${JSON.stringify(probe.query)}|${JSON.stringify(probe.body ?? null)}`
      out[name] = await (cache ? cache.get(key, load) : load())
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
