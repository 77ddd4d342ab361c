/**
 * Link-token handler: checks what the token may be used for (the connectors exist; a
 * re-authentication targets an account of the same tenant) before minting it.
 */
import type { RouteHandler } from '@hono/zod-openapi'
import { accountOr404 } from '../accounts/tenant-scope'
import { connectorOr400 } from '../accounts/account-connect'
import { DEFAULT_LINK_TOKEN_TTL_S } from '../connect/link-token-store'
import { ApiError, badRequest } from '../lib/http-errors'
import { tenantScope } from './access-policy'
import type { AppEnv } from './create-app'
import type * as routes from './link-tokens.routes'

export const create: RouteHandler<typeof routes.create, AppEnv> = async (c) => {
  const services = c.var.services
  const body = c.req.valid('json')
  const scope = tenantScope(c)
  if (scope !== null && body.tenant_id !== undefined && body.tenant_id !== scope) {
    throw new ApiError(403, 'forbidden', `This API token is bound to tenant ${scope}: tenant_id must be ${scope} (or omitted)`)
  }
  let tenantId = scope ?? body.tenant_id
  let integrations = body.integrations ? [...new Set(body.integrations)] : null
  for (const id of integrations ?? []) connectorOr400(services, id)
  if (body.integrated_account_id) {
    const account = await accountOr404(services, body.integrated_account_id, scope)
    if (!account.tenantId) {
      throw badRequest(
        'account_without_tenant',
        `Integrated account ${account.id} has no tenant_id: set one (PATCH) before re-authenticating it through a link`,
      )
    }
    if (tenantId !== undefined && tenantId !== account.tenantId) {
      throw badRequest('tenant_mismatch', `Integrated account ${account.id} belongs to tenant ${account.tenantId}, not ${tenantId}`)
    }
    if (integrations && !integrations.includes(account.integration)) {
      throw badRequest(
        'integration_mismatch',
        `Integrated account ${account.id} is a ${account.integration} account: integrations must include it`,
      )
    }
    tenantId = account.tenantId
    integrations = [account.integration]
  }
  if (!tenantId) throw badRequest('missing_required_body_fields', 'tenant_id is required: the tenant the connected account belongs to')
  const { token, row } = await services.linkTokens.create({
    tenantId,
    integrations,
    redirectUri: body.redirect_uri ?? null,
    integratedAccountId: body.integrated_account_id ?? null,
    createdBy: c.var.identity.id,
    expiresInSeconds: body.expires_in ?? DEFAULT_LINK_TOKEN_TTL_S,
  })
  const url = new URL('/connect', c.req.url)
  url.searchParams.set('link_token', token)
  return c.json(
    {
      id: row.id,
      link_token: token,
      url: url.toString(),
      expires_at: new Date(row.expiresAt).toISOString(),
      tenant_id: row.tenantId,
      integrations,
      redirect_uri: row.redirectUri,
      integrated_account_id: row.integratedAccountId,
    },
    201,
  )
}
