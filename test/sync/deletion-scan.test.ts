/**
 * The scan for records a complete run did not see reads every live record of the resource. On
 * better-sqlite3 a single query for it held the event loop for seconds at a million users (HTTP
 * clients on keep-alive connections then had theirs reset: the 1,000,000-user re-sync of the
 * sync benchmark "stopped answering"). It reads in chunks and lets the event loop run between
 * them; what it finds, and what is marked deleted, is the same.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { sqliteTransactionWriter } from '../../src/db/atomic'
import { openSqlite, type OpenedSqlite } from '../../src/db/open-sqlite'
import { syncRecords } from '../../src/db/schema'
import { planDeletions } from '../../src/sync/deletions'
import type { RunScope } from '../../src/sync/page-writer'
import { touchRecords, upsertRecords, type PageScope } from '../../src/sync/record-writes'
import { models } from '../../src/models'

const resource = models.get('usage-metering', 'users')!
const RECORDS = 25

describe('deletion scan', () => {
  let opened: OpenedSqlite
  const page = (runId: string, now: string): PageScope => ({
    accountId: 'acc-1',
    resourceKey: 'usage-metering/users',
    runId,
    jobId: 'job-1',
    now,
  })
  const run = (runId: string): RunScope => ({ accountId: 'acc-1', jobId: 'job-1', runId, resource, resourceKey: 'usage-metering/users' })
  const ids = Array.from({ length: RECORDS }, (_, i) => `u${i}`)
  /** Ids the second run saw: every third one is gone. */
  const seen = ids.filter((_, i) => i % 3 !== 0)

  beforeEach(async () => {
    opened = openSqlite(':memory:')
    // These rows stand alone; the account they would belong to is not what is tested.
    opened.sqlite.pragma('foreign_keys = OFF')
    const write = sqliteTransactionWriter(opened.db).run
    const records = ids.map((id) => ({ id, unified: { id }, remoteData: null, contentHash: 'h', facets: {} }))
    await write(upsertRecords(opened.db, page('run-1', 'T1'), records).statements)
    await write(touchRecords(opened.db, page('run-2', 'T2'), seen))
  })
  afterEach(() => opened.close())

  it('finds the unseen records across chunks and marks exactly those deleted', async () => {
    const plan = await planDeletions(opened, run('run-2'), seen.length, false, 'T3', 4)
    const gone = ids.filter((id) => !seen.includes(id))
    expect(plan.deleted).toBe(gone.length)
    expect(plan.events.map((e) => e.payload.record_id)).toEqual(gone)
    await sqliteTransactionWriter(opened.db).run(plan.statements)
    const rows = await opened.db.select({ id: syncRecords.recordId, deletedAt: syncRecords.deletedAt }).from(syncRecords)
    expect(
      rows
        .filter((r) => r.deletedAt === 'T3')
        .map((r) => r.id)
        .sort(),
    ).toEqual([...gone].sort())
    expect((await planDeletions(opened, run('run-2'), seen.length, false, 'T4', 4)).deleted).toBe(0)
  })

  it('lets the event loop run between chunks, and not within one', async () => {
    const turns = async (chunk: number) => {
      let ran = false
      setImmediate(() => (ran = true))
      const plan = await planDeletions(opened, run('run-2'), seen.length, false, 'T3', chunk)
      expect(plan.deleted).toBe(RECORDS - seen.length)
      return ran
    }
    // One chunk: better-sqlite3 answers synchronously, so nothing else has run yet.
    expect(await turns(RECORDS + 1)).toBe(false)
    expect(await turns(4)).toBe(true)
  })
})
