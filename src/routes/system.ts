/** /health (liveness, no auth), /openapi.json and the interactive /docs page. */
import type { OpenAPIHono } from '@hono/zod-openapi'
import { DOCS_ASSET_PREFIX, docsAssetType, isDocsAsset, type DocsAssets } from '../docs/docs-assets'
import { docsPage } from '../docs/docs-page'
import { ApiError } from '../lib/http-errors'
import type { AppEnv } from './create-app'
import { createRouter, errorResponse } from './create-app'
import * as handlers from './system.handlers'
import * as routes from './system.routes'

export function systemRoutes() {
  return createRouter().openapi(routes.health, handlers.health)
}

export function mountDocs(app: OpenAPIHono<AppEnv>, assets: DocsAssets): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' })
  // The connect page's API (connect.routes.ts) takes a link token instead of an API token.
  app.openAPIRegistry.registerComponent('securitySchemes', 'linkToken', { type: 'apiKey', in: 'header', name: 'x-link-token' })
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'unimeter',
      version: '0.1.0',
      description: 'Self-hostable unified API for the users and usage of AI-tool and usage-metering vendors. Truto-compatible wire format.',
      license: { name: 'MIT', url: 'https://opensource.org/license/mit' },
    },
    // Relative: the document is served by the gateway it describes, wherever that is mounted.
    servers: [{ url: '/', description: 'The gateway serving this document' }],
    security: [{ bearer: [] }],
  })
  app.get('/docs', (c) => c.html(docsPage()))
  app.get(`${DOCS_ASSET_PREFIX}:name`, async (c) => {
    const name = c.req.param('name')
    if (!isDocsAsset(name)) return errorResponse(c, new ApiError(404, 'route_not_found', `No docs asset ${name}. See /docs.`))
    return c.body(await assets(name), 200, { 'content-type': docsAssetType(name), 'cache-control': 'public, max-age=3600' })
  })
}
