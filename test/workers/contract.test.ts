/**
 * The shared contract suite against the Cloudflare Workers runtime: the Worker (D1, fetch,
 * bundled mappings) under real `wrangler dev`, calling the simulators on loopback through the
 * same `UNIMETER_<ID>_BASE_URL` settings an operator would set.
 */
import { contractSuite } from '../contract/suite'
import { startWranglerDev } from './wrangler-dev'

const TOKEN = 'workers-contract-admin-token'
const KEY = Buffer.alloc(32, 9).toString('base64')

contractSuite(
  'Cloudflare Workers (wrangler dev)',
  async (env) => {
    const worker = await startWranglerDev({ ...env, UNIMETER_ADMIN_TOKEN: TOKEN, UNIMETER_ENCRYPTION_KEY: KEY })
    return {
      url: worker.url,
      token: TOKEN,
      triggerCron: async (cron) => {
        const res = await fetch(`${worker.url}/__scheduled?cron=${encodeURIComponent(cron)}`)
        if (res.status !== 200) throw new Error(`the scheduled event failed: ${res.status} ${await res.text()}\n${worker.output()}`)
      },
      close: () => worker.stop(),
    }
  },
  120_000,
)
