/**
 * The vendor paths a connector may call, as patterns built from its own templates: a hostile id
 * can fill the `{{id}}` segment (one segment, no slash, not a dot segment) and nothing else.
 */
import type { ConnectorDefinition, RequestSpec } from '../../../src/engine/connector-types'
import { renderText } from '../../../src/engine/template'
import type { RunningSimulator } from '../../../src/sandbox/simulator-kit'

function requestsOf(connector: ConnectorDefinition): RequestSpec[] {
  const out: RequestSpec[] = connector.verification ? [connector.verification] : []
  for (const methods of Object.values(connector.resources)) {
    // A get through the list may still read some ids (e.g. logins) from the vendor's own get.
    const other = methods.get && 'via' in methods.get ? methods.get.byOtherKey?.get : undefined
    for (const m of [methods.list, methods.get, other]) {
      if (!m || 'via' in m) continue
      out.push(m.request, ...Object.values(m.sideLoads ?? {}).map((s) => s.request))
    }
  }
  return out
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

export function allowedVendorPaths(connector: ConnectorDefinition, sim: RunningSimulator): RegExp[] {
  const values = { ...sim.context, ...sim.credentials }
  const scope = { credentials: values, context: values }
  return requestsOf(connector).map((spec) => {
    const base = new URL(spec.url ? renderText(spec.url, scope) : sim.baseUrl).pathname.replace(/\/+$/, '')
    const parts = spec.path.split(/\{\{\s*id\s*\}\}/).map((p) => escape(renderText(p, scope)))
    // An id fills exactly one segment and is never `.` or `..` in any encoding.
    return new RegExp(`^${escape(base)}${parts.join('(?!(?:\\.|%2e){1,2}(?:/|$))[^/]+')}/?$`, 'i')
  })
}

export function isAllowedVendorPath(patterns: RegExp[], path: string): boolean {
  return patterns.some((p) => p.test(path))
}
