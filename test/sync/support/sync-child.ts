/**
 * A second unimeter process for the crash test: it opens the same SQLite file as the test's
 * gateway, triggers the job's run against the same simulator, and prints the run id. The test
 * kills it with SIGKILL mid-run. Settings come from the environment (see crash-resume.test.ts).
 */
import { EVERY_TENANT } from '../../../src/accounts/tenant-scope'
import { sqliteTransactionWriter } from '../../../src/db/atomic'
import { openSqlite } from '../../../src/db/open-sqlite'
import { createUndiciTransport } from '../../../src/engine/http/undici-transport'
import { buildServices } from '../../../src/runtime/build-services'
import { preparedRecordWrites } from '../../../src/sync/prepared-record-writes'
import { fileMappingSource } from '../../../src/runtime/node/mapping-files'
import { jobOr404 } from '../../../src/sync/job-store'
import { triggerRun } from '../../../src/sync/trigger'

const env = process.env
const sqlite = openSqlite(env.UNIMETER_DATABASE_PATH!)
const services = await buildServices({
  env,
  db: sqlite.db,
  atomic: sqliteTransactionWriter(sqlite.db),
  recordWrites: preparedRecordWrites(sqlite.sqlite),
  transport: createUndiciTransport(),
  mappingSource: fileMappingSource(),
  encryptionKey: env.UNIMETER_ENCRYPTION_KEY!,
})
services.sandboxUrls.set('claude', env.CHILD_CLAUDE_URL!)
const triggered = await triggerRun(services, await jobOr404(services, env.CHILD_JOB_ID!, EVERY_TENANT), 'manual')
process.stdout.write(`${JSON.stringify({ run: triggered.run.id })}\n`)
await triggered.done
process.stdout.write('finished\n')
process.exit(0)
