/**
 * Which base URL a vendor call uses: the sandbox simulator for sandbox accounts, else the
 * operator's `UNIMETER_<ID>_BASE_URL`, else the connector's default. Never anything a caller sends.
 */
import type { IntegratedAccountRow } from '../db/schema'
import { baseUrlOverrideKey } from '../config/settings'
import type { ConnectorDefinition } from '../engine/connector-types'
import { ApiError } from '../lib/http-errors'
import type { GatewayServices } from '../services'

/** `account` may be one still being created (no id yet): only its environment decides. */
export function resolveBaseUrl(
  services: GatewayServices,
  connector: ConnectorDefinition,
  account: Pick<IntegratedAccountRow, 'environment'> & { id?: string },
): string {
  if (account.environment === 'sandbox') {
    const url = services.sandboxUrls.get(connector.id)
    if (!url) {
      throw new ApiError(
        503,
        'sandbox_unavailable',
        `${account.id ? `Integrated account ${account.id} is` : 'This is'} a sandbox account, but the ${connector.label} sandbox simulator is not running (UNIMETER_SANDBOX=off?)`,
      )
    }
    return url
  }
  return services.env[baseUrlOverrideKey(connector.id)] || connector.baseUrl
}

/**
 * The connector's other base URLs (its `otherBaseUrls`) for this account: at a sandbox account's
 * simulator origin under the default's path, else the operator's `UNIMETER_<ID>_<NAME>_BASE_URL`,
 * else the default. `baseUrl` is the account's resolved main base URL.
 */
export function resolveOtherBaseUrls(
  services: GatewayServices,
  connector: ConnectorDefinition,
  account: Pick<IntegratedAccountRow, 'environment'>,
  baseUrl: string,
): Record<string, string> | undefined {
  if (!connector.otherBaseUrls) return undefined
  const out: Record<string, string> = {}
  for (const [name, url] of Object.entries(connector.otherBaseUrls)) {
    out[name] =
      account.environment === 'sandbox'
        ? `${new URL(baseUrl).origin}${new URL(url).pathname}`
        : services.env[baseUrlOverrideKey(connector.id, name)] || url
  }
  return out
}
