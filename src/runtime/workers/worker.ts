/**
 * The Cloudflare Workers entry: the same gateway as Node (src/app.ts), on D1 and fetch, with
 * mapping files bundled as data. No simulators here: the sandbox needs loopback servers, which
 * only the Node runtime can start.
 */
import { runDueJobs } from '../../sync/due-jobs'
import type { QueueBatch } from '../../lib/message-queue'
import { errorResponseBody } from './error-response'
import { dispatchQueueBatch } from './queue-dispatch'
import { workerGateway } from './worker-gateway'
import type { WorkerEnv, WorkerExecutionContext, WorkerScheduledController } from './worker-env'

/** The Durable Object class behind the global rate limits (wrangler.toml: RATE_LIMITER, migrations). */
export { RateLimitObject } from './rate-limit-object'

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: WorkerExecutionContext): Promise<Response> {
    let gateway
    try {
      gateway = await workerGateway(env)
    } catch (err) {
      return errorResponseBody(err)
    }
    return gateway.app.fetch(request, env, ctx as never)
  },

  /**
   * The Cron Trigger ([triggers] crons): the due sync jobs, abandoned runs, outbox and webhook
   * retries, through the runner Node's in-process scheduler calls every second. With the sync
   * queue bound (SYNC_QUEUE), due jobs and abandoned runs are only sent to it, and the queue()
   * handler runs them. Without it, the runs it starts outlive this handler, so their promise is
   * handed to waitUntil; a run cut short by the platform's limits keeps its checkpoint and is
   * resumed by a later trigger once its lease lapses.
   */
  async scheduled(controller: WorkerScheduledController, env: WorkerEnv, ctx: WorkerExecutionContext): Promise<void> {
    const { services } = await workerGateway(env)
    ctx.waitUntil(runDueJobs(services, new Date(controller.scheduledTime)))
  },

  /** Queue consumers (`[[queues.consumers]]`), each batch routed by its queue's name (queue-dispatch.ts). */
  async queue(batch: QueueBatch, env: WorkerEnv): Promise<void> {
    await dispatchQueueBatch(batch, env)
  },
}
