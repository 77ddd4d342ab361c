/**
 * A run's record events go into the outbox grouped, one row per page (src/sync/outbox.ts
 * outboxRows), against a real SQLite file: emitted right after the commit or drained later
 * (after a crash), they are the same events — ids, names, payloads byte for byte, times, record
 * references — in the same order, and the outbox is empty afterwards.
 */
import { afterEach, beforeEach, expect, it } from 'vitest'
import { sqliteTransactionWriter } from '../../src/db/atomic'
import type { OpenedSqlite } from '../../src/db/open-sqlite'
import { syncEventOutbox } from '../../src/db/schema'
import type { GatewayEvent } from '../../src/lib/event-bus'
import type { GatewayServices } from '../../src/services'
import { dispatchOutbox, outboxEvent, outboxRows, outboxRowsInsert, type OutboxEvent } from '../../src/sync/outbox'
import { recordEvent, type RunScope } from '../../src/sync/page-writer'
import { meterResource, METER_KEY } from './support/window-fixture'
import { closeMeterDatabase, openMeterDatabase, type MeterDatabase } from './support/meter-database'

let opened: MeterDatabase | undefined
let sqlite: OpenedSqlite
let services: GatewayServices
let emitted: GatewayEvent[]

beforeEach(async () => {
  opened = await openMeterDatabase('unimeter-outbox-rows-')
  ;({ sqlite, services } = opened)
  emitted = []
  services.events.onBatch((events) => void emitted.push(...events))
})
afterEach(() => closeMeterDatabase(opened))

const scope = (runId: string, resourceKey = METER_KEY): RunScope => ({
  accountId: 'acc',
  jobId: 'job',
  runId,
  resource: meterResource,
  resourceKey,
})

/** A page of record events, a run event, the next page's, another resource's, and the run's deletions. */
function commitEvents(): OutboxEvent[] {
  const page = (runId: string, ids: string[], now: string, resourceKey?: string) =>
    ids.map((id, i) => recordEvent(i % 3 === 0 ? 'record:updated' : 'record:created', scope(runId, resourceKey), id, now))
  return [
    ...page('run-1', ['u1', 'u"2', 'é3', '["2026-12-01","u4"]'], 'T1'),
    outboxEvent('sync_job_run:started', { id: 'run-1', status: 'running' }, 'T1'),
    ...page('run-1', ['u5'], 'T1'),
    ...page('run-1', ['u6', 'u7'], 'T2'),
    ...page('run-1', ['u8', 'u9'], 'T2', 'usage-metering/users'),
    ...Array.from({ length: 2500 }, (_, i) => recordEvent('record:deleted', scope('run-1'), `gone-${i}`, 'T3')),
  ]
}

const asEmitted = (e: OutboxEvent): GatewayEvent => ({
  event: e.event,
  payload: e.payload,
  id: e.id,
  createdAt: e.createdAt,
  recordRef: e.recordRef,
})
const wire = (events: GatewayEvent[]) => events.map((e) => JSON.stringify([e.id, e.event, e.payload, e.createdAt, e.recordRef ?? null]))

it('groups consecutive record events of one run, resource and time, in order, a thousand at most', () => {
  const events = commitEvents()
  const rows = outboxRows(events)
  expect(rows.map((r) => r.events.length)).toEqual([4, 1, 1, 2, 2, 1000, 1000, 500])
  expect(rows.flatMap((r) => r.events)).toEqual(events)
  // A lone event keeps a row of its own, under its own id, as before.
  expect(rows[1]).toMatchObject({ id: events[4].id, event: 'sync_job_run:started', payload: events[4].payload })
  expect(rows[0].id).not.toBe(events[0].id)
})

it('emits the same events right after the commit as when drained after a crash, and empties the outbox', async () => {
  const events = commitEvents()
  const write = async () => {
    const rows = outboxRows(events)
    await sqliteTransactionWriter(sqlite.db).run(outboxRowsInsert(services, rows))
    return rows
  }
  const stored = await sqlite.db.select().from(syncEventOutbox)
  expect(stored).toEqual([])

  await dispatchOutbox(services, await write())
  const committed = emitted
  expect(wire(committed)).toEqual(wire(events.map(asEmitted)))
  expect(await sqlite.db.select().from(syncEventOutbox)).toEqual([])

  emitted = []
  await write()
  // Eight rows hold the 2,510 events.
  expect(await sqlite.db.select().from(syncEventOutbox)).toHaveLength(8)
  await dispatchOutbox(services)
  expect(wire(emitted)).toEqual(wire(committed))
  expect(await sqlite.db.select().from(syncEventOutbox)).toEqual([])
})
