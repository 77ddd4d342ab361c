/**
 * Which parts of an account's context are secret. The connector's credential fields marked
 * secret are; so is anything whose name says it is a secret, even if a connector forgot.
 */
import type { ConnectorDefinition } from '../engine/connector-types'

const SECRET_NAME = /(^|_)(api_?key|key|token|secret|password|access_token|refresh_token|client_secret|private_key)$/i

function isSecretField(connector: ConnectorDefinition, name: string): boolean {
  const declared = [...connector.credentials, ...(connector.contextFields ?? [])].find((f) => f.name === name)
  if (declared) return declared.secret
  return SECRET_NAME.test(name)
}

export function splitContext(connector: ConnectorDefinition, context: Record<string, unknown>) {
  const secret: Record<string, unknown> = {}
  const open: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(context)) (isSecretField(connector, k) ? secret : open)[k] = v
  return { secret, open }
}
