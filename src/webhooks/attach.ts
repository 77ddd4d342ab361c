/**
 * Subscribes webhook deliveries to the event bus (buildServices does, once per services
 * instance): each event is stored as pending deliveries (before the emitter continues), then
 * sent in the background.
 */
import type { GatewayServices } from '../services'
import { kickDeliveries } from './delivery-pump'
import { enqueueDeliveries } from './enqueue'

export function subscribeWebhookDeliveries(services: GatewayServices): void {
  services.events.onBatch(async (events) => {
    try {
      if ((await enqueueDeliveries(services, events)) > 0) kickDeliveries(services)
    } catch (err) {
      services.logger.error('webhook deliveries could not be queued', {
        events: events.length,
        first: events[0]?.event,
        error: (err as Error).message,
      })
    }
  })
}
