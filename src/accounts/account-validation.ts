/**
 * Checks a new or changed account against its connector: every required credential and context
 * field present, well-formed and sendable where the connector puts it (a header carries only
 * visible ASCII), then one cheap vendor call (the connector's verification request) so a
 * rejected key never becomes an account.
 */
import type { ConnectorDefinition, CredentialField } from '../engine/connector-types'
import { headerPlaces, headerValueProblem } from '../engine/header-fields'
import { callVendor } from '../engine/vendor-call'
import type { EngineDeps } from '../engine/vendor-session'
import { prepareRequest } from '../engine/request-builder'
import { ApiError, badRequest } from '../lib/http-errors'

/**
 * Throws on a missing or malformed field. Returns warnings for values that do not look like any
 * documented form but might still work (a key format the connector does not know yet): a pattern
 * that refused a real key would be worse than none.
 */
export function validateContext(connector: ConnectorDefinition, context: Record<string, unknown>): string[] {
  const warnings: string[] = []
  const fields: CredentialField[] = [...connector.credentials, ...(connector.contextFields ?? [])]
  const inHeaders = headerPlaces(connector)
  for (const field of fields) {
    const value = context[field.name]
    if (value === undefined || value === null || value === '') {
      if (field.required) {
        throw badRequest('missing_credential', `context.${field.name} is required for ${connector.label} (${field.label})`, {
          details: { field: `context.${field.name}` },
        })
      }
      continue
    }
    if (typeof value !== 'string')
      throw badRequest('invalid_credential', `context.${field.name} must be a string`, { details: { field: `context.${field.name}` } })
    if (/[\r\n\0]/.test(value))
      throw badRequest('invalid_credential', `context.${field.name} must not contain control characters`, {
        details: { field: `context.${field.name}` },
      })
    // Checked before any vendor call: a value HTTP cannot carry would fail every request.
    for (const place of inHeaders.get(field.name) ?? []) {
      const problem = headerValueProblem(value, place)
      if (problem)
        throw badRequest('invalid_credential', `context.${field.name} ${problem}`, { details: { field: `context.${field.name}` } })
    }
    if (field.pattern && !new RegExp(field.pattern).test(value)) {
      const message = `context.${field.name} does not look like a ${field.label}${field.example ? ` (e.g. ${field.example})` : ''}`
      if (field.refuseMismatch) throw badRequest('invalid_credential', message, { details: { field: `context.${field.name}` } })
      warnings.push(`${message}; stored anyway, as keys in a form not documented yet may still be valid`)
    }
  }
  return warnings
}

export async function verifyCredentials(
  deps: EngineDeps,
  connector: ConnectorDefinition,
  baseUrl: string,
  credentials: Record<string, string>,
  context: Record<string, unknown>,
): Promise<void> {
  const secrets = Object.values(credentials)
  const session = {
    deps,
    connector,
    baseUrl,
    credentials,
    context,
    secrets,
    deadline: Date.now() + deps.settings.UNIMETER_REQUEST_DEADLINE_MS,
  }
  const noInputs = { mappingDir: '', unifiedQuery: {}, rawQuery: {}, remoteQuery: {} }
  if (connector.verification) {
    try {
      // Rendered like any request, so a body can carry the credential (Limitr's `{token}`).
      await callVendor(session, await prepareRequest(session, connector.verification, undefined, noInputs))
    } catch (err) {
      throw judged(err, (message) => `${connector.label} rejected the credentials: ${message}`)
    }
  }
  for (const check of connector.fieldVerifications ?? []) {
    const value = credentials[check.field] ?? context[check.field]
    if (value === undefined || value === null || value === '') continue
    const mapping = check.queryMapping
    const inputs = mapping ? { ...noInputs, mappingDir: mapping.slice(0, mapping.lastIndexOf('/')) } : noInputs
    const files = mapping ? { query: mapping.slice(mapping.lastIndexOf('/') + 1) } : undefined
    try {
      await callVendor(session, await prepareRequest(session, check.request, files, inputs))
    } catch (err) {
      const field =
        connector.credentials.find((f) => f.name === check.field) ?? connector.contextFields?.find((f) => f.name === check.field)
      // A refused optional key is the caller's input to fix: 400 naming the field, whatever the vendor's status.
      throw judged(
        err,
        (message) => `${connector.label} rejected context.${check.field} (${field?.label ?? check.field}): ${message}`,
        check.field,
      )
    }
  }
}

/**
 * Only the vendor's refusal is a rejection; a vendor that was not reached, failed or
 * rate-limited the check has not judged the credentials, and the message must not say it did.
 */
function judged(err: unknown, rejectedMessage: (message: string) => string, field?: string): unknown {
  if (!(err instanceof ApiError)) return err
  const rejected = err.status >= 400 && err.status < 500 && err.status !== 408 && err.status !== 429
  if (!rejected)
    return new ApiError(err.status, err.code, `The credentials could not be checked, so nothing was saved: ${err.message}`, err.options)
  if (field) return badRequest('invalid_credential', rejectedMessage(err.message), { details: { field: `context.${field}` } })
  return new ApiError(err.status, err.code, rejectedMessage(err.message), err.options)
}
