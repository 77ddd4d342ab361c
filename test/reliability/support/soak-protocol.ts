/** The messages between load-soak.test.ts and the gateway process it forks (gateway-process.ts). */

export const SOAK_TOKEN = 'soak-admin-token-0123456789'

export type ToChild = { type: 'faults'; on: boolean } | { type: 'stats' } | { type: 'stop' }

export interface ChildStats {
  heapUsed: number
  rss: number
  /** Active libuv handles by kind (TCP sockets show up as Socket). */
  handles: Record<string, number>
  fds: number
  /** Requests the simulators served since the previous stats. */
  vendorRequests: number
  /** Log lines at level error: an unexpected failure inside the gateway. */
  errorLogs: string[]
  logLines: number
}

export type FromChild = { type: 'ready'; url: string; accounts: string[] } | { type: 'stats'; stats: ChildStats } | { type: 'stopped' }
