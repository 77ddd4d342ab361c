/**
 * A tenant-bound API token sees one tenant's integrated accounts and everything hanging off them
 * (their users, sync jobs, runs, synced records). Another tenant's resource is answered exactly
 * like one that does not exist (404), so a bound token cannot learn which ids other tenants use.
 */
import type { IntegratedAccountRow } from '../db/schema'
import { ApiError } from '../lib/http-errors'
import type { GatewayServices } from '../services'

/** The tenant a request acts for: a tenant id for a tenant-bound token, null for every tenant. */
export type TenantScope = string | null

/** Work no API caller scopes (a sync run executing its job) acts for every tenant. */
export const EVERY_TENANT: TenantScope = null

export function inScope(scope: TenantScope, tenantId: string | null): boolean {
  return scope === null || tenantId === scope
}

export async function accountOr404(services: GatewayServices, id: string, scope: TenantScope): Promise<IntegratedAccountRow> {
  const row = await services.accounts.get(id)
  if (!row || !inScope(scope, row.tenantId)) throw new ApiError(404, 'integrated_account_not_found', `No integrated account with id ${id}`)
  return row
}
