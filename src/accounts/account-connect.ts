/**
 * Connecting an account and replacing its credentials, the one code path behind
 * `POST /integrated-account`, `PATCH /integrated-account/{id}` and the /connect page: the context
 * is cleaned and validated against the connector's fields, the credentials are verified with the
 * vendor before anything is stored, and a new account emits `integrated_account:created`.
 */
import type { IntegratedAccountRow } from '../db/schema'
import type { ConnectorDefinition } from '../engine/connector-types'
import { ApiError, badRequest } from '../lib/http-errors'
import { sanitizePlain } from '../lib/object-path'
import type { GatewayServices } from '../services'
import { resolveBaseUrl } from '../unified/base-url'
import { noteOutcome } from '../unified/target'
import { validateContext, verifyCredentials } from './account-validation'
import { splitContext } from './credential-split'

export interface ConnectedAccount {
  row: IntegratedAccountRow
  connector: ConnectorDefinition
  /** Credentials that do not look like a documented form but were accepted by the vendor. */
  warnings: string[]
}

export function connectorOr400(services: GatewayServices, name: string): ConnectorDefinition {
  const connector = services.connectors.get(name)
  if (!connector) {
    throw badRequest('unknown_integration', `integration "${name}" is not available. Available: ${services.connectors.ids().join(', ')}`, {
      details: { field: 'integration' },
    })
  }
  return connector
}

function cleanContext(raw: unknown): Record<string, unknown> {
  const clean = sanitizePlain(raw)
  if (!clean || typeof clean !== 'object' || Array.isArray(clean)) throw badRequest('invalid_request', 'context must be an object')
  return clean as Record<string, unknown>
}

const asStrings = (secret: Record<string, unknown>) => Object.fromEntries(Object.entries(secret).map(([k, v]) => [k, String(v)]))

/** Validates, verifies with the vendor, stores, and announces a new account. */
export async function connectAccount(
  services: GatewayServices,
  input: { integration: string; tenantId: string | null; context: unknown; environment: 'production' | 'sandbox' },
): Promise<ConnectedAccount> {
  const connector = connectorOr400(services, input.integration)
  const context = cleanContext(input.context)
  const warnings = validateContext(connector, context)
  const credentials = asStrings(splitContext(connector, context).secret)
  const baseUrl = resolveBaseUrl(services, connector, { environment: input.environment })
  await verifyCredentials(services.engine, connector, baseUrl, credentials, context)
  const row = await services.accounts.create({ connector, tenantId: input.tenantId, context, environment: input.environment })
  await services.events.emit('integrated_account:created', { id: row.id, integration: row.integration })
  return { row, connector, warnings }
}

/**
 * Merges `rawPatch` into the account's context (null removes a key); new credentials must work
 * with the vendor before they replace the old ones, and then the account is active again.
 */
export async function updateAccountContext(
  services: GatewayServices,
  row: IntegratedAccountRow,
  connector: ConnectorDefinition,
  change: { tenantId?: string | null; context?: unknown },
): Promise<ConnectedAccount> {
  let patch: Record<string, unknown> | undefined
  let warnings: string[] = []
  if (change.context !== undefined) {
    patch = cleanContext(change.context)
    const current = await services.accounts.open(row)
    const merged = { ...current.context, ...current.credentials, ...patch }
    for (const [k, v] of Object.entries(patch)) if (v === null) delete merged[k]
    warnings = validateContext(connector, merged)
    if (Object.keys(splitContext(connector, patch).secret).length > 0) {
      const creds = asStrings(splitContext(connector, merged).secret)
      await verifyCredentials(services.engine, connector, resolveBaseUrl(services, connector, row), creds, merged)
    }
  }
  const updated = await services.accounts.update(row, connector, {
    tenantId: change.tenantId,
    context: patch,
    ...(patch ? { status: 'active', lastError: null } : {}),
  })
  return { row: updated, connector, warnings }
}

/**
 * Checks the stored credentials again (the verification of a new account). A vendor 401 marks the
 * account needs_reauth, a success makes it active again (as any vendor call does: noteOutcome);
 * a vendor that could not judge (down, rate limited) leaves it as it was and fails the request.
 */
export async function reverifyAccount(services: GatewayServices, row: IntegratedAccountRow): Promise<ConnectedAccount> {
  const connector = connectorOr400(services, row.integration)
  const account = await services.accounts.open(row)
  try {
    await verifyCredentials(services.engine, connector, resolveBaseUrl(services, connector, row), account.credentials, account.context)
    await noteOutcome(services, account)
  } catch (err) {
    await noteOutcome(services, account, err)
    if (!(err instanceof ApiError && err.status === 401 && err.options.remote)) throw err
  }
  return { row: (await services.accounts.get(row.id)) ?? row, connector, warnings: [] }
}
