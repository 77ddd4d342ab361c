/** The connect page's API handlers: the link token is checked on every request. */
import type { RouteHandler } from '@hono/zod-openapi'
import { connectSession, submitConnection } from '../connect/connect-session'
import type * as routes from './connect.routes'
import { LINK_TOKEN_HEADER } from './connect.routes'
import type { AppEnv } from './create-app'

export const session: RouteHandler<typeof routes.session, AppEnv> = async (c) => {
  const row = await c.var.services.linkTokens.usable(c.req.valid('header')[LINK_TOKEN_HEADER])
  return c.json(connectSession(c.var.services, row), 200)
}

export const submit: RouteHandler<typeof routes.submit, AppEnv> = async (c) => {
  const row = await c.var.services.linkTokens.usable(c.req.valid('header')[LINK_TOKEN_HEADER])
  const body = c.req.valid('json')
  return c.json(await submitConnection(c.var.services, row, body), 201)
}
