/** /health answers without touching the database: it says the process serves requests. */
import type { RouteHandler } from '@hono/zod-openapi'
import type { AppEnv } from './create-app'
import type * as routes from './system.routes'

export const health: RouteHandler<typeof routes.health, AppEnv> = (c) => c.json({ status: 'ok' as const }, 200)
