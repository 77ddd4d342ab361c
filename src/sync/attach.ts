/**
 * Wires the sync module into a services instance once: super-query reads on the unified lists,
 * and webhook deliveries for every event on the bus. Called by the app (both runtimes) and by
 * every entry that runs syncs, so a process that only runs jobs still delivers their events.
 */
import type { GatewayServices } from '../services'
import { registerSuperQuery } from '../unified/list'
import { attachWebhooks } from '../webhooks/attach'
import { superQueryList } from './super-query/handler'

export function attachSync(services: GatewayServices): void {
  registerSuperQuery(superQueryList)
  attachWebhooks(services)
}
