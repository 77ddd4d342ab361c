/**
 * Which base URL a vendor call uses: the sandbox simulator for sandbox accounts, else the
 * operator's `UNIMETER_<ID>_BASE_URL`, else the connector's default. Never anything a caller sends.
 */
import type { IntegratedAccountRow } from '../db/schema'
import { baseUrlOverrideKey } from '../config/settings'
import type { ConnectorDefinition } from '../engine/connector-types'
import { ApiError } from '../lib/http-errors'
import type { GatewayServices } from '../services'

/** `account`: a stored account, or (before it is created) just the environment it will have. */
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
