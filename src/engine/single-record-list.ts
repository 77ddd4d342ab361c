/**
 * A resource whose vendor endpoint describes one record (the organization an API key belongs
 * to): a list of that record, and a get of it by id through the list (another id is a 404).
 */
import type { GetViaListSpec, ListMethodSpec, RequestSpec } from './connector-types'

export function singleRecordResource(request: RequestSpec, responseMapping: string): { list: ListMethodSpec; get: GetViaListSpec } {
  return {
    list: {
      request,
      mappings: { response: responseMapping },
      pagination: { type: 'none' },
      recordsPath: '',
      singleRecord: true,
      pageSize: { default: 1, max: 1 },
    },
    get: { via: 'list' },
  }
}
