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
  /**
   * A record event whose payload names its record instead of carrying it (the sync's
   * `record:*` events, src/sync/outbox.ts): a listener that needs the content reads it from the
   * local copy then, as webhook deliveries do (src/webhooks/record-payloads.ts).
   */
  recordRef?: RecordRef
}

/** A record of the local copy (`sync_records`), by its key. */
export interface RecordRef {
  accountId: string
  /** `usage-metering/users` */
  resourceKey: string
  recordId: string
}

type EventMeta = Pick<GatewayEvent, 'id' | 'createdAt'>

type EventListener = (event: GatewayEvent) => void | Promise<void>

/** Takes many events at once, so per-emission work (a look-up, an insert) is done once per batch. */
type BatchEventListener = (events: GatewayEvent[]) => void | Promise<void>

export class EventBus {
  private readonly listeners = new Set<EventListener>()
  private readonly batchListeners = new Set<BatchEventListener>()

  on(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  onBatch(listener: BatchEventListener): () => void {
    this.batchListeners.add(listener)
    return () => this.batchListeners.delete(listener)
  }

  /** Waits for every listener; a failing listener never fails the emitter. */
  async emit(event: string, payload: Record<string, unknown>, meta: EventMeta = {}): Promise<void> {
    await this.emitAll([{ event, payload, ...meta }])
  }

  /** Emits events in order: each event listener sees them one by one, each batch listener once. */
  async emitAll(events: GatewayEvent[]): Promise<void> {
    if (events.length === 0) return
    const quietly = async (work: () => void | Promise<void>) => {
      try {
        await work()
      } catch {
        /* listeners report their own failures */
      }
    }
    await Promise.all([
      ...[...this.listeners].map(async (l) => {
        for (const e of events) await quietly(() => l(e))
      }),
      ...[...this.batchListeners].map((l) => quietly(() => l(events))),
    ])
  }
}
