/** The whole gateway as one Hono app; runtime entries only supply the services. */
import { apiTokenRoutes } from './routes/api-tokens'
import { createApp } from './routes/create-app'
import { integratedAccountRoutes } from './routes/integrated-accounts'
import { integrationRoutes } from './routes/integrations'
import { mountDocs, systemRoutes } from './routes/system'
import { unifiedRoutes } from './routes/unified'
import type { GatewayServices } from './services'

export function buildApp(services: GatewayServices) {
  const app = createApp(services)
  app.route('/', systemRoutes())
  app.route('/', unifiedRoutes(services.models.all()))
  app.route('/', integratedAccountRoutes())
  app.route('/', apiTokenRoutes())
  app.route('/', integrationRoutes())
  mountDocs(app)
  return app
}
