/** Starting a sync run from a request: POST /sync-job/{id}/run and POST /sync-job-run share it. */
import type { Context } from 'hono'
import type { JobWithAccount } from '../sync/job-store'
import { runView } from '../sync/run-store'
import { triggerRun } from '../sync/trigger'
import type { AppEnv } from './create-app'

/** Workers end a request's work with its response unless told to wait; Node has no such context. */
function keepAlive(c: Context<AppEnv>, work: Promise<unknown>): void {
  try {
    c.executionCtx.waitUntil(work)
  } catch {
    /* Node: the process keeps running; syncHost tracks the work for shutdown. */
  }
}

/** Triggers a run of `target`, keeps the request alive while it works: a new run (201) or the one in progress (200). */
export async function startRun(c: Context<AppEnv>, target: JobWithAccount) {
  const triggered = await triggerRun(c.var.services, target, 'manual')
  keepAlive(c, triggered.done)
  const view = runView(triggered.run)
  return triggered.created ? c.json(view, 201) : c.json(view, 200)
}
