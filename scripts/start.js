/**
 * `npm start`: the gateway, precompiled (dist/gateway.js), built first if missing or stale. For
 * the TypeScript sources run directly through a loader while developing, see `npm run dev`.
 */
import { importBuilt } from './build-dist.js'

await importBuilt('gateway')
