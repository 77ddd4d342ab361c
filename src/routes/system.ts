/** /health (liveness, no auth), /openapi.json and the interactive /docs page. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from './create-app'
import { createRouter } from './create-app'

export function systemRoutes() {
  const router = createRouter()
  const health = createRoute({
    method: 'get',
    path: '/health',
    tags: ['System'],
    summary: 'Liveness',
    security: [],
    responses: { 200: { description: 'The gateway is up.', content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } } } },
  })
  router.openapi(health, (c) => c.json({ status: 'ok' as const }, 200))
  return router
}

export function mountDocs(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' })
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'unimeter',
      version: '0.1.0',
      description: 'Self-hostable unified API for the users and usage of AI-tool and usage-metering vendors. Truto-compatible wire format.',
    },
    security: [{ bearer: [] }],
  })
  // A self-contained page: the spec is rendered by Scalar's standalone bundle when online, and
  // the raw spec link always works offline.
  app.get('/docs', (c) =>
    c.html(`<!doctype html><html><head><meta charset="utf-8"><title>unimeter API</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>
<noscript><p>The OpenAPI document is at <a href="/openapi.json">/openapi.json</a>.</p></noscript>
<script id="api-reference" data-url="/openapi.json"></script>
<script src="https://cdn.jsdelivr.net/npm/@scalar/api-reference"></script>
<p style="font-family:sans-serif">Interactive reference loading… The raw OpenAPI document is at <a href="/openapi.json">/openapi.json</a>.</p>
</body></html>`),
  )
}
