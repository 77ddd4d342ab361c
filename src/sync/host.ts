/**
 * What one process knows about the sync work it is doing: its lease-owner id, the runs it is
 * executing (to cancel them and to wait for them on shutdown) and other background tasks.
 * Everything that must survive the process lives in the database; this is only the in-memory
 * side, one per services instance (`services.syncHost`; a test may run two "processes" side by side).
 */
import type { Logger } from '../lib/logger'
import type { SyncSettings } from './sync-settings'

/** Why a run's AbortController fired. */
export type StopReason = 'cancel' | 'shutdown' | 'lease-lost'

interface LocalRun {
  abort: AbortController
  done: Promise<void>
}

export interface SyncHost {
  /** This process's name in `lease_owner`. */
  readonly owner: string
  readonly settings: SyncSettings
  readonly runs: Map<string, LocalRun>
  /** True once shutdown began: nothing new is started. */
  closing: boolean
  /** Keeps a background task to be awaited by drain(); its failure is logged, never thrown. */
  track(task: Promise<unknown>, what: string): void
  /** Runs `fn` after `ms` unless shutdown comes first (a pending retry is picked up on the next start). */
  later(ms: number, fn: () => void): void
  /** Resolves once no background work is in progress (timers set by later() do not count). */
  idle(): Promise<void>
  /** Stops every local run (they stay resumable) and waits for all background work. */
  drain(): Promise<void>
}

export function createSyncHost(settings: SyncSettings, logger: Logger): SyncHost {
  const tasks = new Set<Promise<unknown>>()
  const timers = new Set<ReturnType<typeof setTimeout>>()
  const created: SyncHost = {
    owner: `unimeter-${crypto.randomUUID()}`,
    settings,
    runs: new Map(),
    closing: false,
    track(task, what) {
      const guarded = task.catch((err) => logger.error('background task failed', { task: what, error: (err as Error).message }))
      tasks.add(guarded)
      void guarded.finally(() => tasks.delete(guarded))
    },
    later(ms, fn) {
      if (created.closing) return
      const timer = setTimeout(() => {
        timers.delete(timer)
        if (!created.closing) fn()
      }, ms)
      timers.add(timer)
    },
    async idle() {
      // Tasks may start others while finishing (a run dispatching its last events): loop until quiet.
      while (tasks.size > 0) await Promise.all([...tasks])
    },
    async drain() {
      created.closing = true
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      for (const run of created.runs.values()) run.abort.abort('shutdown' satisfies StopReason)
      await created.idle()
    },
  }
  return created
}
