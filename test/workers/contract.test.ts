/**
 * The shared contract suite against the Cloudflare Workers runtime: the Worker (D1, fetch,
 * bundled mappings) under real `wrangler dev`, calling the simulators on loopback through the
 * same `UNIMETER_<ID>_BASE_URL` settings an operator would set.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { contractSuite } from '../contract/suite'
import { REPO_ROOT } from './wrangler'
import { startWranglerDev } from './wrangler-dev'

const TOKEN = 'workers-contract-admin-token'
const KEY = Buffer.alloc(32, 9).toString('base64')
/** The Cron Trigger wrangler.toml declares (`[triggers] crons`), as the platform would send it. */
const CRON = /^crons\s*=\s*\[\s*"([^"]+)"/m.exec(readFileSync(resolve(REPO_ROOT, 'wrangler.toml'), 'utf8'))?.[1]
if (!CRON) throw new Error('wrangler.toml declares no Cron Trigger')

contractSuite(
  'Cloudflare Workers (wrangler dev)',
  async (env) => {
    const worker = await startWranglerDev({ ...env, UNIMETER_ADMIN_TOKEN: TOKEN, UNIMETER_ENCRYPTION_KEY: KEY })
    return {
      url: worker.url,
      token: TOKEN,
      runScheduled: async (at) => {
        // wrangler dev's trigger endpoint dispatches a real scheduled event (workerd's controller,
        // waitUntil, outcome in the status) with `time` as scheduledTime. The --test-scheduled
        // route (/__scheduled) wraps the fetch handler instead and always sends Date.now().
        const res = await fetch(`${worker.url}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent(CRON)}&time=${at.getTime()}`)
        if (res.status !== 200) throw new Error(`the scheduled event failed: ${res.status} ${await res.text()}\n${worker.output()}`)
      },
      close: () => worker.stop(),
    }
  },
  120_000,
)
