/** The events a webhook can subscribe to (the contract's names), and what `*` means. */
export const EVENT_TYPES = [
  'sync_job_run:started',
  'sync_job_run:completed',
  'sync_job_run:failed',
  'record:created',
  'record:updated',
  'record:deleted',
  'integrated_account:created',
  'integrated_account:deleted',
  'integrated_account:authentication_error',
] as const

/** Subscribes to every event, including ones added later. */
export const ALL_EVENTS = '*'

export function subscribes(eventTypes: string[], event: string): boolean {
  return eventTypes.includes(ALL_EVENTS) || eventTypes.includes(event)
}

/** Ids of events, as in the contract's examples (`evt_…`); stable across re-emission. */
export const newEventId = () => `evt_${crypto.randomUUID().replace(/-/g, '')}`
