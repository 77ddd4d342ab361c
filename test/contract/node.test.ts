/** The shared contract suite against the Node runtime (real SQLite file, undici, mappings from disk). */
import { runDueJobs } from '../../src/sync/due-jobs'
import { startTestGateway, TEST_TOKEN } from '../support/gateway'
import { contractSuite } from './suite'

contractSuite('Node', async (env) => {
  // The built-in sandbox is off: the suite brings its own simulators, as it does for Workers.
  const gateway = await startTestGateway({ sandbox: false, env })
  return {
    url: gateway.url,
    token: TEST_TOKEN,
    runScheduled: async (at) => {
      await runDueJobs(gateway.services, at)
    },
    close: () => gateway.close(),
  }
})
