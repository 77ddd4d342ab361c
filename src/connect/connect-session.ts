/**
 * What the connect page may know and do with a link token: the connectors it offers (their
 * credential fields from the connector definitions), and the submission that connects or
 * re-authenticates an account through the same path as the API (src/accounts/account-connect.ts).
 * Errors shown in the browser never carry the submitted secrets or the vendor's raw response.
 */
import { connectAccount, connectorOr400, updateAccountContext, type ConnectedAccount } from '../accounts/account-connect'
import { accountOr404 } from '../accounts/tenant-scope'
import type { LinkTokenRow } from '../db/schema'
import { fieldSpec } from '../integrations/catalog'
import type { FieldSpec } from '../integrations/catalog-schema'
import { ApiError } from '../lib/http-errors'
import type { GatewayServices } from '../services'
import { allowedIntegrations } from './link-token-store'

/** The SDK's names for what went wrong (Truto's link UI posts them as `error_type`). */
export type ConnectErrorType = 'invalid_token' | 'invalid_integration' | 'connection_error' | 'validation_error'

export interface ConnectOption {
  id: string
  label: string
  docs_url: string | null
  credentials: FieldSpec[]
  context_fields: FieldSpec[]
}

export interface ConnectSession {
  expires_at: string
  /** Re-authentication of this account, or null for a new one. */
  reauth: { integrated_account_id: string; integration: string } | null
  /** The origin the page may post its result to (redirect_uri's), or null for any opener. */
  message_origin: string | null
  integrations: ConnectOption[]
}

export interface ConnectResult {
  integrated_account_id: string
  integration: string
  /** Where the page sends the browser next (redirect_uri with the account id), or null. */
  redirect_url: string | null
}

export function connectSession(services: GatewayServices, row: LinkTokenRow): ConnectSession {
  const allowed = allowedIntegrations(row) ?? services.connectors.ids()
  const integrations = allowed.flatMap((id) => {
    const c = services.connectors.get(id)
    if (!c) return []
    return [
      {
        id,
        label: c.label,
        docs_url: c.docsUrl ?? null,
        credentials: c.credentials.map(fieldSpec),
        context_fields: (c.contextFields ?? []).map(fieldSpec),
      },
    ]
  })
  return {
    expires_at: new Date(row.expiresAt).toISOString(),
    reauth: row.integratedAccountId ? { integrated_account_id: row.integratedAccountId, integration: allowed[0] } : null,
    message_origin: row.redirectUri ? new URL(row.redirectUri).origin : null,
    integrations,
  }
}

function connectError(status: number, code: string, message: string, errorType: ConnectErrorType): ApiError {
  return new ApiError(status, code, message, { details: { error_type: errorType } })
}

/** The error as the browser may see it: secrets cut out, no raw vendor response, typed for the SDK. */
function forBrowser(err: unknown, secrets: string[]): unknown {
  if (!(err instanceof ApiError)) return err
  let message = err.message
  for (const s of secrets) if (s.length >= 4) message = message.split(s).join('[redacted]')
  // A vendor refusing the key is the end user's to fix, not a failed gateway authentication (401/403).
  const rejected = err.status === 401 || err.status === 403
  const type: ConnectErrorType = err.status >= 500 ? 'connection_error' : 'validation_error'
  return connectError(rejected ? 422 : err.status, rejected ? 'credentials_rejected' : err.code, message, type)
}

function submittedSecrets(context: Record<string, unknown>): string[] {
  return Object.values(context).filter((v): v is string => typeof v === 'string')
}

/**
 * Connects (or re-authenticates) with the token: the token is claimed for the submission, spent
 * on success, and released (counting a failure) otherwise.
 */
export async function submitConnection(
  services: GatewayServices,
  row: LinkTokenRow,
  input: { integration: string; context: Record<string, unknown> },
): Promise<ConnectResult> {
  const allowed = allowedIntegrations(row)
  if ((allowed && !allowed.includes(input.integration)) || !services.connectors.get(input.integration)) {
    throw connectError(400, 'invalid_integration', `This link does not allow connecting "${input.integration}"`, 'invalid_integration')
  }
  await services.linkTokens.claim(row)
  let connected: ConnectedAccount
  try {
    if (row.integratedAccountId) {
      const account = await accountOr404(services, row.integratedAccountId, row.tenantId)
      connected = await updateAccountContext(services, account, connectorOr400(services, account.integration), { context: input.context })
    } else {
      connected = await connectAccount(services, {
        integration: input.integration,
        tenantId: row.tenantId,
        context: input.context,
        environment: 'production',
      })
    }
  } catch (err) {
    await services.linkTokens.release(row, true)
    throw forBrowser(err, submittedSecrets(input.context))
  }
  await services.linkTokens.markUsed(row, connected.row.id)
  let redirect: string | null = null
  if (row.redirectUri) {
    const url = new URL(row.redirectUri)
    url.searchParams.set('integrated_account_id', connected.row.id)
    url.searchParams.set('integration', connected.row.integration)
    redirect = url.toString()
  }
  return { integrated_account_id: connected.row.id, integration: connected.row.integration, redirect_url: redirect }
}
