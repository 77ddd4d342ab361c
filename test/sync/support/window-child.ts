/**
 * The second process of the window kill -9 test: it opens the test's SQLite file with the meter
 * resource (window-fixture.ts), triggers the job's run against the test's vendor and prints the
 * run id; the test kills it with SIGKILL mid-run.
 */
import { EVERY_TENANT } from '../../../src/accounts/tenant-scope'
import { openSqlite } from '../../../src/db/open-sqlite'
import { jobOr404 } from '../../../src/sync/job-store'
import { triggerRun } from '../../../src/sync/trigger'
import { meterServices } from './window-fixture'

const env = process.env
const services = await meterServices(openSqlite(env.UNIMETER_DATABASE_PATH!), env, env.CHILD_VENDOR_URL!)
const triggered = await triggerRun(services, await jobOr404(services, env.CHILD_JOB_ID!, EVERY_TENANT), 'manual')
process.stdout.write(`${JSON.stringify({ run: triggered.run.id })}\n`)
await triggered.done
process.stdout.write('finished\n')
process.exit(0)
