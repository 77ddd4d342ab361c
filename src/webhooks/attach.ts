/**
 * Subscribes webhook deliveries to the event bus (buildServices does, once per services
 * instance): each event is stored as pending deliveries (before the emitter continues), then
 * sent in the background, or by the delivery queue's consumer (src/webhooks/delivery-queue.ts).
 */
import type { GatewayServices } from '../services'
import { announceDeliveries } from './delivery-queue'
import { enqueueDeliveries } from './enqueue'

export function subscribeWebhookDeliveries(services: GatewayServices): void {
  services.events.onBatch(async (events) => {
    try {
      await announceDeliveries(services, await enqueueDeliveries(services, events))
    } catch (err) {
      services.logger.error('webhook deliveries could not be queued', {
        events: events.length,
        first: events[0]?.event,
        error: (err as Error).message,
      })
    }
  })
}
