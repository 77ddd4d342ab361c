/**
 * A record too large for one D1 row (src/db/d1-limits.ts), on the set-based page writes D1 uses,
 * against a real SQLite file: the rest of the page is stored and announced, the large record is
 * named in the page's result with its size and the limit, gets no event, and a copy stored
 * before it grew is kept (marked seen) rather than deleted by absence.
 */
import { afterEach, beforeEach, expect, it } from 'vitest'
import { sqliteTransactionWriter } from '../../src/db/atomic'
import { D1_MAX_RECORD_BYTES } from '../../src/db/d1-limits'
import type { OpenedSqlite } from '../../src/db/open-sqlite'
import { syncRecords } from '../../src/db/schema'
import type { GatewayServices } from '../../src/services'
import { diffPage, type RunScope } from '../../src/sync/page-writer'
import { setBasedRecordWrites } from '../../src/sync/record-writes'
import { meterResource, METER_KEY } from './support/window-fixture'
import { closeMeterDatabase, openMeterDatabase, type MeterDatabase } from './support/meter-database'

let opened: MeterDatabase | undefined
let sqlite: OpenedSqlite
let services: GatewayServices

beforeEach(async () => {
  opened = await openMeterDatabase('unimeter-too-large-', { standalone: true })
  ;({ sqlite, services } = opened)
  // What D1 runs: the set-based writes whose rows go as JSON arrays (buildServices' default).
  services.recordWrites = setBasedRecordWrites(sqlite.db)
})
afterEach(() => closeMeterDatabase(opened))

/** The stored key of u's bucket: the resource's composite key (day, user). */
const key = (user: string) => JSON.stringify(['2026-12-01', user])
const scope = (runId: string): RunScope => ({ accountId: 'acc', jobId: 'job', runId, resource: meterResource, resourceKey: METER_KEY })
const bucket = (user: string, note = '') => ({
  id: `2026-12-01/${user}`,
  user: { id: user },
  start_date: '2026-12-01',
  end_date: '2026-12-02',
  tokens: 5,
  remote_data: { note },
})
const write = (statements: Parameters<GatewayServices['atomic']['run']>[0]) => sqliteTransactionWriter(sqlite.db).run(statements)
const stored = () => sqlite.db.select().from(syncRecords).orderBy(syncRecords.recordId)

it('stores the rest of the page and names the record over the row limit, keeping its earlier copy', async () => {
  const first = await diffPage(services, scope('run-1'), [bucket('u1'), bucket('u2')], 'T1')
  await write(first.statements)
  const huge = bucket('u2', 'é'.repeat(D1_MAX_RECORD_BYTES / 2))
  const second = await diffPage(services, scope('run-2'), [bucket('u1', 'changed'), huge, bucket('u3')], 'T2')
  await write(second.statements)

  expect(second.tooLarge).toEqual([{ id: key('u2'), bytes: expect.any(Number), limit: D1_MAX_RECORD_BYTES }])
  expect(second.tooLarge[0].bytes).toBeGreaterThan(D1_MAX_RECORD_BYTES)
  expect(second.events.map((e) => [e.event, e.recordRef?.recordId])).toEqual([
    ['record:updated', key('u1')],
    ['record:created', key('u3')],
  ])
  expect(second.counts).toMatchObject({ added: 1, updated: 1 })
  const rows = await stored()
  expect(rows.map((r) => [r.recordId, JSON.parse(r.remoteData!).note, r.lastSeenRunId])).toEqual([
    [key('u1'), 'changed', 'run-2'],
    // Not overwritten, and seen by this run: the end of the run does not delete it.
    [key('u2'), '', 'run-2'],
    [key('u3'), '', 'run-2'],
  ])
})
