/**
 * Subscribes webhook deliveries to the event bus, once per services instance: each event is
 * stored as pending deliveries (before the emitter continues), then sent in the background.
 */
import type { GatewayServices } from '../services'
import { kickDeliveries } from './delivery-pump'
import { enqueueDeliveries } from './enqueue'

const attached = new WeakSet<GatewayServices>()

export function attachWebhooks(services: GatewayServices): void {
  if (attached.has(services)) return
  attached.add(services)
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
