/** The connect page (/connect, and /connect-account for Truto's link SDK), the console, and their /ui/ files. */
import type { OpenAPIHono } from '@hono/zod-openapi'
import { ApiError } from '../lib/http-errors'
import { CONNECT_PAGE_PATHS, CONSOLE_PAGE_PATH, connectPage, consolePage, pageHeaders } from '../ui/pages'
import { isUiAsset, UI_ASSET_PREFIX, uiAssetType, type UiAssets } from '../ui/ui-assets'
import { errorResponse, type AppEnv } from './create-app'

export function mountUi(app: OpenAPIHono<AppEnv>, assets: UiAssets): void {
  for (const path of CONNECT_PAGE_PATHS) app.get(path, (c) => c.html(connectPage(), 200, pageHeaders('connect')))
  app.get(CONSOLE_PAGE_PATH, (c) => c.html(consolePage(), 200, pageHeaders('console')))
  app.get(`${UI_ASSET_PREFIX}:name`, async (c) => {
    const name = c.req.param('name')
    if (!isUiAsset(name)) return errorResponse(c, new ApiError(404, 'route_not_found', `No UI asset ${name}.`))
    return c.body(await assets(name), 200, {
      'content-type': uiAssetType(name),
      'x-content-type-options': 'nosniff',
      'cache-control': 'public, max-age=300',
    })
  })
}
