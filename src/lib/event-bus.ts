/**
 * In-process events (`integrated_account:authentication_error`, `sync_job_run:*`, `record:*`).
 * Webhook delivery subscribes here; emitters do not know who listens.
 */
export interface GatewayEvent {
  event: string
  payload: Record<string, unknown>
}

export type EventListener = (event: GatewayEvent) => void | Promise<void>

export class EventBus {
  private readonly listeners = new Set<EventListener>()

  on(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Waits for every listener; a failing listener never fails the emitter. */
  async emit(event: string, payload: Record<string, unknown>): Promise<void> {
    await Promise.all(
      [...this.listeners].map(async (l) => {
        try {
          await l({ event, payload })
        } catch {
          /* listeners report their own failures */
        }
      }),
    )
  }
}
