/**
 * Node: the scheduler runs inside the gateway process. A croner tick every second calls
 * runDueJobs — the same function a Workers Cron Trigger calls — which starts due schedules,
 * resumes abandoned runs and retries webhook deliveries. The first tick runs at start, so
 * schedules missed while the gateway was down run once, right away. On close, local runs are
 * parked (lease released, checkpoint kept) and resume on the next start.
 */
import { Cron } from 'croner'
import type { GatewayServices } from '../../services'
import { runDueJobs } from '../due-jobs'

/** Starts the scheduler (unless UNIMETER_SYNC_SCHEDULER is off); returns how to stop it and park the runs. */
export function startSyncScheduler(services: GatewayServices): () => Promise<void> {
  const host = services.syncHost
  if (!host.settings.UNIMETER_SYNC_SCHEDULER) return () => host.drain()
  // Each tick only starts work; runs outlive it, and their claims keep ticks from doubling up.
  const tick = () => host.track(runDueJobs(services, new Date()), 'scheduler tick')
  tick()
  // No time zone: a tick every second falls on the same instants in every zone, and croner's
  // time-zone arithmetic loads ICU's zone data at start (60-90 ms).
  const cron = new Cron('* * * * * *', tick)
  return async () => {
    cron.stop()
    await host.drain()
  }
}
