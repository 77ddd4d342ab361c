/**
 * Resolves who and what a unified request is about: the integrated account (secrets opened),
 * its connector, the method spec for (model, resource), and a vendor session to call with.
 */
import type { ResolvedAccount } from '../accounts/account-store'
import { accountOr404, type TenantScope } from '../accounts/tenant-scope'
import type { ConnectorDefinition, GetMethodSpec, GetViaListSpec, ListMethodSpec, MethodRequirement } from '../engine/connector-types'
import { mappingDirOf } from '../engine/response-mapping'
import { RequestAbort } from '../engine/request-abort'
import { checkRequirement } from '../engine/method-requirement'
import type { VendorSession } from '../engine/vendor-session'
import type { ListWalk } from '../engine/list-engine'
import type { RequestInputs } from '../engine/request-builder'
import { ApiError, badRequest } from '../lib/http-errors'
import { resourceKey, type UnifiedResource } from '../models/model-registry'
import type { GatewayServices } from '../services'
import { resolveBaseUrl, resolveOtherBaseUrls } from './base-url'

export interface Target<M> {
  account: ResolvedAccount
  connector: ConnectorDefinition
  resource: UnifiedResource
  spec: M
  session: VendorSession
  /** `usage-metering/users/claude` */
  mappingDir: string
  /** Aborts vendor calls when the caller goes away. */
  abort: RequestAbort
}

/** Calls `onGone` once the caller of a request has gone away (at once if it already has). */
export type CallerGone = (onGone: () => void) => void

export const goneWhenAborted =
  (signal: AbortSignal): CallerGone =>
  (onGone) => {
    if (signal.aborted) onGone()
    else signal.addEventListener('abort', onGone, { once: true })
  }

export async function resolveTarget<K extends 'list' | 'get'>(
  services: GatewayServices,
  accountId: string,
  tenant: TenantScope,
  resource: UnifiedResource,
  method: K,
  callerGone?: CallerGone,
): Promise<Target<K extends 'list' ? ListMethodSpec : GetMethodSpec | GetViaListSpec>> {
  const row = await accountOr404(services, accountId, tenant)
  const connector = services.connectors.get(row.integration)
  if (!connector)
    throw badRequest(
      'unknown_integration',
      `Integrated account ${accountId} uses integration "${row.integration}", which this gateway does not have`,
    )
  const key = resourceKey(resource)
  const spec = connector.resources[key]?.[method]
  if (!spec) {
    throw badRequest('method_not_supported', `${connector.label} does not support ${method} on ${key}`)
  }
  const account = await services.accounts.open(row)
  const needs = (spec as { requires?: MethodRequirement }).requires
  checkRequirement(connector.label, `${method} ${key}`, needs, account.credentials, account.context)
  // The request's one abort path: the caller leaving, or a stream cancelled, stops its vendor calls.
  const abort = new RequestAbort()
  callerGone?.(() => abort.abort())
  const baseUrl = resolveBaseUrl(services, connector, row)
  const session: VendorSession = {
    deps: services.engine,
    connector,
    baseUrl,
    otherBaseUrls: resolveOtherBaseUrls(services, connector, row, baseUrl),
    credentials: account.credentials,
    context: account.context,
    secrets: account.secrets,
    deadline: Date.now() + services.settings.UNIMETER_REQUEST_DEADLINE_MS,
    signal: abort,
    // A sandbox account's URLs point at the operator's own simulator, which lives on loopback.
    trustedOrigins: row.environment === 'sandbox' ? [new URL(baseUrl).origin] : [],
  }
  return { account, connector, resource, spec: spec as never, session, mappingDir: mappingDirOf(key, connector.id), abort }
}

/**
 * A walk of the target's vendor list `spec` (the method's own list, or for a get served by the
 * list, the resource's list): the one way a live list, a get and a sync run start one.
 */
export function startListWalk(
  services: GatewayServices,
  target: Target<unknown>,
  spec: ListMethodSpec,
  inputs: Omit<RequestInputs, 'mappingDir'>,
): ListWalk {
  return {
    session: target.session,
    spec,
    inputs: { ...inputs, mappingDir: target.mappingDir },
    accountId: target.account.row.id,
    accountVersion: target.account.row.updatedAt,
    sideLoadCache: services.sideLoadCache,
  }
}

/**
 * Does the vendor work of a request or a sync for the target's account, and keeps the account's
 * status honest either way (see noteOutcome). Work the caller gave up on says nothing of the
 * credentials: its failure is not noted.
 */
export async function withAccountOutcome<T>(services: GatewayServices, target: Target<unknown>, work: () => Promise<T>): Promise<T> {
  let result: T
  try {
    result = await work()
  } catch (err) {
    if (!target.abort.aborted) await noteOutcome(services, target.account, err)
    throw err
  }
  await noteOutcome(services, target.account)
  return result
}

/**
 * A vendor 401 means the credentials stopped working (`needs_reauth`, and an event for webhooks
 * and sync); a later success clears it.
 */
export async function noteOutcome(services: GatewayServices, account: ResolvedAccount, error?: unknown): Promise<void> {
  const row = account.row
  if (error instanceof ApiError && error.status === 401 && error.options.remote) {
    if (row.status !== 'needs_reauth') {
      await services.accounts.setStatus(row.id, 'needs_reauth', error.message)
      await services.events.emit('integrated_account:authentication_error', {
        id: row.id,
        integration: row.integration,
        message: error.message,
      })
    }
    return
  }
  if (!error && row.status === 'needs_reauth') await services.accounts.setStatus(row.id, 'active', null)
}
