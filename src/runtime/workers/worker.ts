/**
 * The Cloudflare Workers entry: the same gateway as Node (src/app.ts), on D1 and fetch, with
 * mapping files bundled as data. No simulators here: the sandbox needs loopback servers, which
 * only the Node runtime can start.
 */
import { errorResponseBody } from './error-response'
import { workerGateway } from './worker-gateway'
import type { WorkerEnv, WorkerExecutionContext } from './worker-env'

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
}
