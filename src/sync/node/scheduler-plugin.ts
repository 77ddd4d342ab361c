/**
 * Node: the scheduler runs inside the gateway process. A croner tick every second calls
 * runDueJobs — the same function a Workers Cron Trigger calls — which starts due schedules,
 * resumes abandoned runs and retries webhook deliveries. The first tick runs at start, so
 * schedules missed while the gateway was down run once, right away. On close, local runs are
 * parked (lease released, checkpoint kept) and resume on the next start.
 */
import { Cron } from 'croner'
import type { GatewayPlugin } from '../../runtime/node/start-gateway'
import { attachSync } from '../attach'
import { runDueJobs } from '../due-jobs'
import { syncHost } from '../host'

export const syncSchedulerPlugin: GatewayPlugin = async ({ services }) => {
  attachSync(services)
  const host = syncHost(services)
  if (!host.settings.UNIMETER_SYNC_SCHEDULER) return () => host.drain()
  // Each tick only starts work; runs outlive it, and their claims keep ticks from doubling up.
  const tick = () => host.track(runDueJobs(services, new Date()), 'scheduler tick')
  tick()
  const cron = new Cron('* * * * * *', { timezone: 'Etc/UTC' }, tick)
  return async () => {
    cron.stop()
    await host.drain()
  }
}
