/**
 * Where the gateway's per-token and per-account windows are counted (./rate-limit.ts), chosen by
 * the runtime (src/runtime/build-services.ts): in this process's memory on Node, where one process
 * serves every request; in one Durable Object per key on Workers
 * (src/runtime/workers/durable-rate-limit-store.ts), so the count is global across isolates.
 * Asynchronous because the Workers store is a round-trip away.
 */
import type { Logger } from '../lib/logger'
import { FixedWindowCounter, type WindowHit } from './rate-limit-window'

export interface RateLimitStore {
  /** Counts one request under `key` in the current window, unless `limit` is already reached. */
  hit(key: string, limit: number): Promise<WindowHit>
}

/** How a runtime builds its store, once the settings (the window) and the logger exist. */
export type RateLimitStoreFactory = (windowMs: number, logger: Logger) => RateLimitStore

export function memoryRateLimitStore(windowMs: number): RateLimitStore {
  const counter = new FixedWindowCounter(windowMs)
  return { hit: async (key, limit) => counter.hit(key, limit) }
}
