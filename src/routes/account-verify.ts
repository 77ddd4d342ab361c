/** POST /integrated-account/{id}/verify: the console's "re-verify" (src/accounts/account-connect.ts). */
import { createRoute, type RouteHandler } from '@hono/zod-openapi'
import { reverifyAccount } from '../accounts/account-connect'
import { toAccountView } from '../accounts/account-store'
import { accountOr404 } from '../accounts/tenant-scope'
import { tenantScope } from './access-policy'
import { createRouter, type AppEnv } from './create-app'
import { errorResponses } from './errors'
import { accountSchema } from './integrated-accounts.routes'
import { idParam, jsonResponse } from './openapi-helpers'

export const verify = createRoute({
  method: 'post',
  path: '/integrated-account/{id}/verify',
  operationId: 'verifyIntegratedAccount',
  tags: ['Integrated accounts'],
  summary: 'Check the stored credentials with the vendor again',
  description:
    'Runs the verification of account creation with the stored credentials. The vendor refusing them (401) marks the account needs_reauth (and fires integrated_account:authentication_error); success makes it active. A vendor that cannot judge (5xx, timeout, 429) fails the request and changes nothing.',
  request: { params: idParam },
  responses: { 200: jsonResponse(accountSchema, 'The account, with its status after the check.'), ...errorResponses },
})

const handler: RouteHandler<typeof verify, AppEnv> = async (c) => {
  const services = c.var.services
  const row = await accountOr404(services, c.req.valid('param').id, tenantScope(c))
  const { row: checked, connector } = await reverifyAccount(services, row)
  return c.json(toAccountView(checked, connector), 200)
}

export function accountVerifyRoutes() {
  return createRouter().openapi(verify, handler)
}
