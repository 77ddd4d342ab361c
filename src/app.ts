/** The whole gateway as one Hono app; runtime entries only supply the services. */
import type { DocsAssets } from './docs/docs-assets'
import type { UiAssets } from './ui/ui-assets'
import { accountVerifyRoutes } from './routes/account-verify'
import { apiTokenRoutes } from './routes/api-tokens'
import { connectRoutes } from './routes/connect'
import { createApp } from './routes/create-app'
import { integratedAccountRoutes } from './routes/integrated-accounts'
import { integrationRoutes } from './routes/integrations'
import { keyRotationRoutes } from './routes/key-rotation'
import { linkTokenRoutes } from './routes/link-tokens'
import { mountDocs, systemRoutes } from './routes/system'
import { mountUi } from './routes/ui'
import { unifiedRoutes } from './routes/unified'
import { syncJobRunRoutes } from './routes/sync-job-runs'
import { syncJobRoutes } from './routes/sync-jobs'
import { webhookRedeliveryRoutes } from './routes/webhook-redelivery'
import { webhookRoutes } from './routes/webhooks'
import type { GatewayServices } from './services'

export function buildApp(services: GatewayServices, docsAssets: DocsAssets, uiAssets: UiAssets) {
  const app = createApp(services)
  app.route('/', systemRoutes())
  app.route('/', unifiedRoutes(services.models.all(), services.connectors))
  app.route('/', integratedAccountRoutes())
  app.route('/', accountVerifyRoutes())
  app.route('/', syncJobRoutes())
  app.route('/', syncJobRunRoutes())
  app.route('/', webhookRoutes())
  app.route('/', webhookRedeliveryRoutes())
  app.route('/', apiTokenRoutes())
  app.route('/', keyRotationRoutes())
  app.route('/', integrationRoutes())
  app.route('/', linkTokenRoutes())
  app.route('/', connectRoutes())
  mountDocs(app, docsAssets)
  mountUi(app, uiAssets)
  return app
}
