/**
 * What the app shell (create-app.ts) and its middleware share: the per-request variables and the
 * paths that need no token. A module of its own, so the middleware never imports the shell that
 * mounts it.
 */
import type { TokenIdentity } from '../accounts/token-store'
import { DOCS_ASSET_FILES, DOCS_ASSET_PREFIX } from '../docs/docs-assets'
import type { GatewayServices } from '../services'
import type { LimitHeaders } from './limit-headers'
import { CONNECT_PAGE_PATHS, CONSOLE_PAGE_PATH } from '../ui/pages'
import { UI_ASSET_FILES, UI_ASSET_PREFIX } from '../ui/ui-assets'

/**
 * `limitHeaders`: the gateway's rate-limit headers, set once the request is counted (./rate-limit.ts).
 * The unified request path reads these variables with `c.get(name)`: Hono's `c.var` builds an
 * object of every variable on each read.
 */
export type AppEnv = { Variables: { services: GatewayServices; identity: TokenIdentity; limitHeaders: LimitHeaders | undefined } }

export const PUBLIC_PATHS = new Set([
  '/health',
  '/openapi.json',
  '/docs',
  ...DOCS_ASSET_FILES.map((f) => `${DOCS_ASSET_PREFIX}${f}`),
  // The pages hold no data: the connect page's API takes a link token, the console's an API token.
  ...CONNECT_PAGE_PATHS,
  CONSOLE_PAGE_PATH,
  ...UI_ASSET_FILES.map((f) => `${UI_ASSET_PREFIX}${f}`),
])

/** The connect page's API: authenticated by a link token, never an API token (connect.ts). */
export const LINK_TOKEN_PATHS: ReadonlySet<string> = new Set(['/connect/session', '/connect/account'])
