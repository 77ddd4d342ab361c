/**
 * Which local copies an aggregate reads: one integrated account's, or (`tenant_id`) those of every
 * account of a tenant. A tenant-bound token names only its own tenant: any other tenant is
 * answered as one without accounts (404), so a bound token cannot learn which tenants exist.
 * An account of the tenant whose resource was never synced is left out and named in a header,
 * rather than failing the whole tenant or silently reading as zero.
 */
import { accountOr404, inScope, type TenantScope } from '../../accounts/tenant-scope'
import { ApiError } from '../../lib/http-errors'
import type { GatewayServices } from '../../services'
import { assertSyncedCopy } from './readiness'

export type AggregateTarget = { accountId: string } | { tenantId: string }

export interface ScopedAccount {
  id: string
  integration: string
}

export interface AggregateScope {
  accounts: ScopedAccount[]
  /** Accounts of the tenant without a copy of the resource, and why. */
  unsynced: Array<{ id: string; code: string }>
}

/** The header naming a tenant's accounts left out of an aggregate, as `id (code)` pairs. */
export const UNSYNCED_ACCOUNTS_HEADER = 'x-unimeter-unsynced-accounts'

const PAGE = 500

async function tenantAccounts(services: GatewayServices, tenantId: string): Promise<ScopedAccount[]> {
  const out: ScopedAccount[] = []
  for (let afterId: string | undefined; ;) {
    const rows = await services.accounts.list({ tenantId, afterId, limit: PAGE })
    out.push(...rows.map((r) => ({ id: r.id, integration: r.integration })))
    if (rows.length < PAGE) return out
    afterId = rows[rows.length - 1].id
  }
}

export async function resolveAggregateScope(
  services: GatewayServices,
  target: AggregateTarget,
  resourceKey: string,
  tenant: TenantScope,
): Promise<AggregateScope> {
  if ('accountId' in target) {
    const row = await accountOr404(services, target.accountId, tenant)
    await assertSyncedCopy(services, row.id, resourceKey)
    return { accounts: [{ id: row.id, integration: row.integration }], unsynced: [] }
  }
  const { tenantId } = target
  const accounts = inScope(tenant, tenantId) ? await tenantAccounts(services, tenantId) : []
  if (accounts.length === 0) throw new ApiError(404, 'tenant_not_found', `No integrated accounts belong to tenant ${tenantId}`)
  const scope: AggregateScope = { accounts: [], unsynced: [] }
  let firstRefusal: ApiError | undefined
  for (const account of accounts) {
    try {
      await assertSyncedCopy(services, account.id, resourceKey)
      scope.accounts.push(account)
    } catch (err) {
      if (!(err instanceof ApiError)) throw err
      firstRefusal ??= err
      scope.unsynced.push({ id: account.id, code: err.code })
    }
  }
  if (scope.accounts.length === 0) {
    throw new ApiError(
      firstRefusal?.status ?? 422,
      firstRefusal?.code ?? 'super_query_not_synced',
      `None of the ${accounts.length} integrated accounts of tenant ${tenantId} has a synced copy of ${resourceKey}; sync at least one (first refusal: ${firstRefusal?.message ?? 'none'})`,
    )
  }
  return scope
}
