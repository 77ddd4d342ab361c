/**
 * In-process events (`integrated_account:authentication_error`, `sync_job_run:*`, `record:*`).
 * Webhook delivery subscribes here; emitters do not know who listens.
 */
export interface GatewayEvent {
  event: string
  payload: Record<string, unknown>
  /** Stable id of an event that may be emitted again (after a crash), so receivers can dedupe. */
  id?: string
  /** When the event happened, ISO-8601, when it is older than its emission. */
  createdAt?: string
}

export type EventMeta = Pick<GatewayEvent, 'id' | 'createdAt'>

export type EventListener = (event: GatewayEvent) => void | Promise<void>

export class EventBus {
  private readonly listeners = new Set<EventListener>()

  on(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Waits for every listener; a failing listener never fails the emitter. */
  async emit(event: string, payload: Record<string, unknown>, meta: EventMeta = {}): Promise<void> {
    await Promise.all(
      [...this.listeners].map(async (l) => {
        try {
          await l({ event, payload, ...meta })
        } catch {
          /* listeners report their own failures */
        }
      }),
    )
  }
}
