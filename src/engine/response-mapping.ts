/**
 * Where a connector's mapping files for a resource live, and the one way a vendor answer goes
 * through a method's response mapping (a list page, a get, a get served by the list).
 */
import type { MappingFiles } from './connector-types'
import type { RequestInputs } from './request-builder'
import type { VendorSession } from './vendor-session'

/** `usage-metering/users/claude`: the folder under mappings/ for `resourceKey` on `connectorId`. */
export const mappingDirOf = (resourceKey: string, connectorId: string): string => `${resourceKey}/${connectorId}`

/** What a response mapping sees of the answer, besides the query and the account's context. */
interface ResponseScope {
  response: unknown
  headers: Record<string, string>
  sideload: Record<string, unknown>
  /** Lists: `last` is true on the page that ends the walk. */
  page?: { last: boolean }
  /** Gets: the id asked for. */
  id?: string
}

/** The response mapping file of `files`, as the mapping engine names it (also in its errors). */
export const responseMappingFile = (inputs: RequestInputs, files: MappingFiles): string => `${inputs.mappingDir}/${files.response}`

export function mapVendorResponse(
  session: VendorSession,
  inputs: RequestInputs,
  files: MappingFiles,
  scope: ResponseScope,
): Promise<unknown> {
  return session.deps.mappings.evaluate(responseMappingFile(inputs, files), {
    ...scope,
    query: inputs.unifiedQuery,
    rawQuery: inputs.rawQuery,
    context: session.context,
  })
}
