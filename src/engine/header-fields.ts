/**
 * Which account fields a connector sends inside HTTP headers, and what each of those places can
 * carry. Read from the connector's data (its auth scheme and header templates), so an account
 * whose key can never be sent is refused when it is saved, naming the field, instead of failing
 * at every vendor call. Fields sent only in a URL or a JSON body can carry any text.
 */
import type { AuthScheme, ConnectorDefinition, RequestSpec } from './connector-types'

/** One header a field's value is written into. */
interface HeaderPlace {
  header: string
  /**
   * `bearer`: the whole token of `Authorization: Bearer` (no spaces); `basic-user` /
   * `basic-password`: inside Basic credentials (a user name cannot hold ':'); `value`: part
   * of any other header value.
   */
  kind: 'value' | 'bearer' | 'basic-user' | 'basic-password'
}

const FIELD_REFERENCE = /\{\{\s*(?:credentials|context)\.([a-zA-Z_]\w*)\s*\}\}/g

/** What header values can carry: visible ASCII and spaces (HTTP allows more, vendors do not). */
const NOT_HEADER_TEXT = /[^\x20-\x7e]/u

function referencedFields(template: string): string[] {
  return [...template.matchAll(FIELD_REFERENCE)].map((m) => m[1])
}

function requestSpecs(connector: ConnectorDefinition): RequestSpec[] {
  const specs: RequestSpec[] = connector.verification ? [connector.verification] : []
  specs.push(...(connector.fieldVerifications ?? []).map((v) => v.request))
  for (const methods of Object.values(connector.resources)) {
    for (const method of [methods.list, methods.get]) {
      if (!method || !('request' in method)) continue
      specs.push(method.request, ...Object.values(method.sideLoads ?? {}).map((s) => s.request))
    }
  }
  return specs
}

/** Field name → the headers it is sent in. */
export function headerPlaces(connector: ConnectorDefinition): Map<string, HeaderPlace[]> {
  const places = new Map<string, HeaderPlace[]>()
  const add = (field: string, place: HeaderPlace) => places.set(field, [...(places.get(field) ?? []), place])
  const addTemplates = (headers: Record<string, string> | undefined) => {
    for (const [header, template] of Object.entries(headers ?? {})) {
      for (const field of referencedFields(template)) add(field, { header: header.toLowerCase(), kind: 'value' })
    }
  }
  const addAuth = (auth: AuthScheme) => {
    if (auth.type === 'bearer') add(auth.credential, { header: 'authorization', kind: 'bearer' })
    if (auth.type === 'basic') {
      for (const field of referencedFields(auth.username)) add(field, { header: 'authorization', kind: 'basic-user' })
      for (const field of referencedFields(auth.password)) add(field, { header: 'authorization', kind: 'basic-password' })
    }
    if (auth.type === 'headers') addTemplates(auth.headers)
  }
  addAuth(connector.auth)
  addTemplates(connector.headers)
  for (const spec of requestSpecs(connector)) {
    addTemplates(spec.headers)
    if (spec.auth) addAuth(spec.auth)
  }
  return places
}

const describeChar = (c: string) => `"${c}" (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`

/** Why `value` cannot be sent in `place`, or undefined when it can. Never repeats the value. */
export function headerValueProblem(value: string, place: HeaderPlace): string | undefined {
  const where = place.kind === 'value' ? `the ${place.header} header` : place.kind === 'bearer' ? 'a Bearer token' : 'Basic authentication'
  const bad = NOT_HEADER_TEXT.exec(value)
  if (bad) {
    const hint = bad[0] === '…' ? ' (the "…" of an example is a placeholder for the rest of the key)' : ''
    return `can hold only visible ASCII characters: ${describeChar(bad[0])} at position ${[...value.slice(0, bad.index)].length + 1} cannot be sent in ${where}${hint}`
  }
  if (value !== value.trim()) return `must not start or end with a space: ${where} would lose it`
  if (place.kind === 'bearer' && value.includes(' ')) return `must not contain spaces: it is sent as a Bearer token`
  if (place.kind === 'basic-user' && value.includes(':')) return `must not contain ":": it is the user name of Basic authentication`
  return undefined
}
