/**
 * Checks a new or changed account against its connector: every required credential and context
 * field present and well-formed, then one cheap vendor call (the connector's verification
 * request) so a rejected key never becomes an account.
 */
import type { ConnectorDefinition, CredentialField } from '../engine/connector-types'
import { callVendor, type EngineDeps } from '../engine/vendor-call'
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
    if (typeof value !== 'string') throw badRequest('invalid_credential', `context.${field.name} must be a string`, { details: { field: `context.${field.name}` } })
    if (/[\r\n\0]/.test(value)) throw badRequest('invalid_credential', `context.${field.name} must not contain control characters`, { details: { field: `context.${field.name}` } })
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
  const spec = connector.verification
  if (!spec) return
  const secrets = Object.values(credentials)
  const session = { deps, connector, baseUrl, credentials, context, secrets, deadline: Date.now() + deps.settings.UNIMETER_REQUEST_DEADLINE_MS }
  try {
    // Rendered like any request, so a body can carry the credential (Limitr's `{token}`).
    await callVendor(session, await prepareRequest(session, spec, undefined, { mappingDir: '', unifiedQuery: {}, rawQuery: {}, remoteQuery: {} }))
  } catch (err) {
    if (err instanceof ApiError) {
      throw new ApiError(err.status, err.code, `${connector.label} rejected the credentials: ${err.message}`, err.options)
    }
    throw err
  }
}
