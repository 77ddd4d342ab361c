/**
 * Checks a job's resources against what the gateway can do for the account, so a job that can
 * never run is refused at creation (400, saying what to change) rather than failing every run.
 */
import type { IntegratedAccountRow } from '../db/schema'
import { badRequest } from '../lib/http-errors'
import { resourceKey } from '../models/model-registry'
import type { GatewayServices } from '../services'
import { listParamsOf } from '../unified/list-params'
import { parseWith } from '../unified/query'
import type { JobResource } from './api-schemas'

/** Query keys every job resource may use besides the resource's own list parameters. */
const COMMON_QUERY_KEYS = ['remote_query', 'limit']

/** `account` may be only an integration (a Truto-style job's): its id then appears in no message that can be reached. */
export function validateJobResources(
  services: GatewayServices,
  account: Pick<IntegratedAccountRow, 'id' | 'integration'>,
  resources: JobResource[],
): JobResource[] {
  const connector = services.connectors.get(account.integration)
  if (!connector)
    throw badRequest(
      'unknown_integration',
      `Integrated account ${account.id} uses integration "${account.integration}", which this gateway does not have`,
    )
  const seen = new Set<string>()
  return resources.map((entry, i) => {
    const field = `resources.${i}`
    const [model, name] = entry.resource.split('/')
    const resource = services.models.get(model, name)
    if (!resource) {
      const known = services.models.all().map(resourceKey).join(', ')
      throw badRequest('unknown_resource', `${field}.resource: there is no unified resource ${entry.resource}. Available: ${known}`)
    }
    const spec = connector.resources[entry.resource]?.list
    if (!spec) throw badRequest('method_not_supported', `${field}.resource: ${connector.label} does not support list on ${entry.resource}`)
    if (seen.has(entry.resource))
      throw badRequest('duplicate_resource', `${field}.resource: ${entry.resource} appears twice in resources; give it once`)
    seen.add(entry.resource)

    const query = entry.query ?? {}
    const sync = resource.sync
    if (entry.window && sync.mode !== 'window')
      throw badRequest(
        'invalid_request',
        `${field}.window: ${entry.resource} is synced whole on every run; window is only for window-mode resources`,
      )
    // The run sets the window's bounds itself (src/sync/sync-window.ts).
    const windowKeys = sync.mode === 'window' ? [sync.startField, sync.endField] : []
    const fixed = Object.keys(query).filter((k) => windowKeys.includes(k))
    if (fixed.length > 0)
      throw badRequest(
        'invalid_request',
        `${field}.query: ${fixed.join(', ')} cannot be set: each run syncs its own window (window.initial_days, then incrementally)`,
      )
    const listParams = listParamsOf(resource, services.connectors)
    const allowed = [...Object.keys(listParams.shape).filter((k) => !windowKeys.includes(k)), ...COMMON_QUERY_KEYS]
    const unknown = Object.keys(query).filter((k) => !allowed.includes(k))
    if (unknown.length > 0)
      throw badRequest('invalid_request', `${field}.query: unknown key(s) ${unknown.join(', ')}. Allowed: ${allowed.join(', ')}`)
    const own = Object.fromEntries(Object.entries(query).filter(([k]) => !COMMON_QUERY_KEYS.includes(k)))
    parseWith(listParams, own, `${field}.query`)
    const limit = query.limit
    if (limit !== undefined && (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > spec.pageSize.max)) {
      throw badRequest(
        'invalid_request',
        `${field}.query.limit: the page size must be a whole number from 1 to ${spec.pageSize.max} for ${connector.label}`,
      )
    }
    const remote = query.remote_query
    if (remote !== undefined && (remote === null || typeof remote !== 'object' || Array.isArray(remote))) {
      throw badRequest('invalid_request', `${field}.query.remote_query must be an object of parameters passed to the vendor as-is`)
    }
    return {
      resource: entry.resource,
      method: 'list' as const,
      ...(entry.query ? { query } : {}),
      ...(entry.window ? { window: entry.window } : {}),
    }
  })
}
