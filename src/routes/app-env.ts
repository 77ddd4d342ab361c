/**
 * What the app shell (create-app.ts) and its middleware share: the per-request variables and the
 * paths that need no token. A module of its own, so the middleware never imports the shell that
 * mounts it.
 */
import type { TokenIdentity } from '../accounts/token-store'
import { DOCS_ASSET_FILES, DOCS_ASSET_PREFIX } from '../docs/docs-assets'
import type { GatewayServices } from '../services'

export type AppEnv = { Variables: { services: GatewayServices; identity: TokenIdentity } }

export const PUBLIC_PATHS = new Set(['/health', '/openapi.json', '/docs', ...DOCS_ASSET_FILES.map((f) => `${DOCS_ASSET_PREFIX}${f}`)])
