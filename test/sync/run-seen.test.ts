/**
 * Unchanged records marked seen by one row per page (src/sync/run-seen.ts) on the prepared writes
 * better-sqlite3 runs, against a real SQLite file: their own rows are not rewritten, the end of the
 * run finds exactly the records it did not list, and a record listed twice is counted once.
 */
import { afterEach, beforeEach, expect, it } from 'vitest'
import { sqliteTransactionWriter } from '../../src/db/atomic'
import type { OpenedSqlite } from '../../src/db/open-sqlite'
import { syncRecords, syncRunSeen } from '../../src/db/schema'
import { models } from '../../src/models'
import type { GatewayServices } from '../../src/services'
import { planDeletions } from '../../src/sync/deletions'
import { diffPage, type RunScope } from '../../src/sync/page-writer'
import { collectSeenKeys, forgetSeen, seenDuplicates } from '../../src/sync/run-seen'
import { closeMeterDatabase, openMeterDatabase, type MeterDatabase } from './support/meter-database'

const users = models.get('usage-metering', 'users')!
const KEY = 'usage-metering/users'
let opened: MeterDatabase | undefined
let sqlite: OpenedSqlite
let services: GatewayServices

beforeEach(async () => {
  opened = await openMeterDatabase('unimeter-run-seen-', { standalone: true })
  ;({ sqlite, services } = opened)
})
afterEach(() => closeMeterDatabase(opened))

const scope = (runId: string): RunScope => ({ accountId: 'acc', jobId: 'job', runId, resource: users, resourceKey: KEY })
const user = (id: string) => ({ id, name: `User ${id}`, email: `${id}@example.com`, remote_data: { id } })
const write = (statements: Parameters<GatewayServices['atomic']['run']>[0]) => sqliteTransactionWriter(sqlite.db).run(statements)
const page = async (runId: string, ids: string[], now: string) => {
  const diff = await diffPage(services, scope(runId), ids.map(user), now)
  await write(diff.statements)
  return diff
}
/** The temporary tables the end of a run left on the connection. */
const tempTables = () => sqlite.sqlite.prepare(`SELECT name FROM sqlite_temp_master WHERE type = 'table'`).all()

it('marks unchanged records seen without rewriting them, deletes exactly the unlisted, counts a record listed twice once', async () => {
  await page('run-1', ['u1', 'u2', 'u3', 'u4', 'u5'], 'T1')
  const rowsBefore = await sqlite.db.select().from(syncRecords).orderBy(syncRecords.recordId)

  // The vendor's pages shifted: u3 ends the first page and starts the second.
  expect((await page('run-2', ['u1', 'u2', 'u3'], 'T2')).counts).toMatchObject({ unchanged: 3, added: 0, updated: 0 })
  expect((await page('run-2', ['u3', 'u4'], 'T2')).counts).toMatchObject({ unchanged: 2, added: 0, updated: 0 })

  expect(await sqlite.db.select().from(syncRecords).orderBy(syncRecords.recordId)).toEqual(rowsBefore)
  const seenRows = await sqlite.db.select().from(syncRunSeen).orderBy(syncRunSeen.id)
  expect(seenRows.map((r) => [r.runId, r.resource, JSON.parse(r.recordIds), r.recordCount])).toEqual([
    ['run-2', KEY, ['u1', 'u2', 'u3'], 3],
    ['run-2', KEY, ['u3', 'u4'], 2],
  ])
  expect(await seenDuplicates(services, 'run-2')).toBe(1)
  expect(tempTables()).toEqual([])

  // A copy chunk smaller than a page and a scan chunk of 2 rows: every boundary is crossed.
  const seen = (await collectSeenKeys(services, 'run-2', KEY, 2))!
  expect(seen.duplicates).toBe(1)
  const plan = await planDeletions(services, scope('run-2'), 4, false, 'T3', 2, seen)
  await seen.release()
  expect(tempTables()).toEqual([])
  expect(plan.events.map((e) => [e.event, e.payload.record_id])).toEqual([['record:deleted', 'u5']])
  await write([...plan.statements, forgetSeen(services, 'run-2')])
  const live = await sqlite.db
    .select({ id: syncRecords.recordId, deletedAt: syncRecords.deletedAt })
    .from(syncRecords)
    .orderBy(syncRecords.recordId)
  expect(live).toEqual(['u1', 'u2', 'u3', 'u4', 'u5'].map((id) => ({ id, deletedAt: id === 'u5' ? 'T3' : null })))
  expect(await sqlite.db.select().from(syncRunSeen)).toEqual([])
})

it('counts a record seen by a write or a touch, not by a seen row, and only once', async () => {
  await page('run-1', ['u1', 'u2'], 'T1')
  // u1 changed: written, so its row names run-2; listed again unchanged it is neither counted nor listed again.
  const changed = { ...user('u1'), name: 'Renamed' }
  const first = await diffPage(services, scope('run-2'), [changed, user('u2')], 'T2')
  await write(first.statements)
  expect(first.counts).toMatchObject({ updated: 1, unchanged: 1 })
  const again = await diffPage(services, scope('run-2'), [changed], 'T2')
  await write(again.statements)
  expect(again.counts).toMatchObject({ updated: 0, unchanged: 0 })
  expect(again.newlySeen).toBe(0)
  expect(await seenDuplicates(services, 'run-2')).toBe(0)
  // No seen rows for another run, whose scan is then today's: by last_seen_run_id alone.
  expect(await collectSeenKeys(services, 'run-3', KEY)).toBeUndefined()
  expect(sqlite.sqlite.prepare(`SELECT count(*) AS n FROM sync_run_seen`).get()).toEqual({ n: 1 })
})
