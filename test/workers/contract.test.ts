/**
 * The shared contract suite against the Cloudflare Workers runtime: the Worker (D1, fetch,
 * bundled mappings) under real `wrangler dev`, calling the simulators on loopback through the
 * same `UNIMETER_<ID>_BASE_URL` settings an operator would set.
 */
import { contractSuite } from '../contract/suite'
import { fireCron, startWranglerDev } from './wrangler-dev'

const TOKEN = 'workers-contract-admin-token'
const KEY = Buffer.alloc(32, 9).toString('base64')

contractSuite(
  'Cloudflare Workers (wrangler dev)',
  async (env) => {
    const worker = await startWranglerDev({ ...env, UNIMETER_ADMIN_TOKEN: TOKEN, UNIMETER_ENCRYPTION_KEY: KEY })
    return {
      url: worker.url,
      token: TOKEN,
      runScheduled: (at) => fireCron(worker, at),
      close: () => worker.stop(),
    }
  },
  120_000,
)
