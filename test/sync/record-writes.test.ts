/**
 * The set-based page writes of a sync run against a real SQLite database: rows travel as JSON
 * arrays (one bound parameter), and upsert/touch keep the per-record semantics the runner relies on.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { sqliteTransactionWriter, type AtomicStatement } from '../../src/db/atomic'
import { jsonChunks } from '../../src/db/json-rows'
import { openSqlite, type OpenedSqlite } from '../../src/db/open-sqlite'
import { syncRecords } from '../../src/db/schema'
import { storedStates, touchRecords, upsertRecords, type PageScope, type RecordContent } from '../../src/sync/record-writes'

describe('jsonChunks', () => {
  it('keeps every item, in order, in arrays no longer than the limit', () => {
    const items = Array.from({ length: 50 }, (_, i) => ({ id: `user-${i}`, text: 'x'.repeat(i % 7) }))
    const chunks = jsonChunks(items, 200)
    expect(chunks.length).toBeGreaterThan(1)
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(200)
    expect(chunks.flatMap((c) => JSON.parse(c))).toEqual(items)
  })

  it('refuses an item larger than the limit on its own, naming it, and gives nothing for no items', () => {
    expect(() => jsonChunks(['a', 'b'.repeat(30), 'c'], 10)).toThrow(
      /Item 1 of a bulk write is 32 bytes as JSON; one bound value holds at most 10/,
    )
    expect(jsonChunks([])).toEqual([])
  })
})

describe('record writes', () => {
  let opened: OpenedSqlite
  const scope = (now: string, runId = 'run-1'): PageScope => ({
    accountId: 'acc-1',
    resourceKey: 'usage-metering/users',
    runId,
    jobId: 'job-1',
    now,
  })
  const content = (id: string, hash: string, remoteData: unknown = { raw: true }): RecordContent => ({
    id,
    unified: { id, name: hash },
    remoteData,
    contentHash: hash,
    facets: { status: 'active' },
  })
  const run = (writes: AtomicStatement[] | { statements: AtomicStatement[] }) =>
    sqliteTransactionWriter(opened.db).run(Array.isArray(writes) ? writes : writes.statements)
  const rows = async () => opened.db.select().from(syncRecords).orderBy(syncRecords.recordId)

  beforeEach(() => {
    opened = openSqlite(':memory:')
    // These rows stand alone; the account they would belong to is not what is tested.
    opened.sqlite.pragma('foreign_keys = OFF')
  })
  afterEach(() => opened.close())

  it('inserts new records and reads their state back by id, quotes and all', async () => {
    const ids = ['u1', 'u"2', "u'3"]
    await run(
      upsertRecords(
        opened.db,
        scope('T1'),
        ids.map((id) => content(id, `h-${id}`)),
      ),
    )
    const states = await storedStates(opened.db, scope('T1'), [...ids, 'missing'])
    expect([...states.keys()].sort()).toEqual([...ids].sort())
    expect(states.get('u"2')).toEqual({ recordId: 'u"2', contentHash: 'h-u"2', deletedAt: null, lastSeenRunId: 'run-1' })
    expect((await rows())[0]).toMatchObject({
      firstSeenAt: 'T1',
      lastSeenAt: 'T1',
      changedAt: 'T1',
      remoteData: '{"raw":true}',
      syncJobId: 'job-1',
    })
  })

  it('stores the JSON columns as JSON text, whatever the value', async () => {
    await run(
      upsertRecords(opened.db, scope('T1'), [
        content('n', 'a', null),
        content('s', 'a', 'text "quoted"'),
        content('o', 'a', { é: [1, 2.5, 1e21] }),
      ]),
    )
    const byId = Object.fromEntries((await rows()).map((r) => [r.recordId, r]))
    expect(byId.n).toMatchObject({ remoteData: 'null', unified: '{"id":"n","name":"a"}', facets: '{"status":"active"}' })
    expect(JSON.parse(byId.s.remoteData!)).toBe('text "quoted"')
    expect(JSON.parse(byId.o.remoteData!)).toEqual({ é: [1, 2.5, 1e21] })
  })

  it('overwrites a changed or deleted record but keeps when it was first seen', async () => {
    await run(upsertRecords(opened.db, scope('T1'), [content('u1', 'a')]))
    await opened.db.update(syncRecords).set({ deletedAt: 'T1' })
    await run(upsertRecords(opened.db, scope('T2', 'run-2'), [content('u1', 'b')]))
    expect(await rows()).toEqual([
      expect.objectContaining({
        recordId: 'u1',
        contentHash: 'b',
        firstSeenAt: 'T1',
        lastSeenAt: 'T2',
        changedAt: 'T2',
        deletedAt: null,
        lastSeenRunId: 'run-2',
      }),
    ])
  })

  it('touches only when unchanged records were seen', async () => {
    await run(upsertRecords(opened.db, scope('T1'), [content('u1', 'a'), content('u2', 'a')]))
    await run(touchRecords(opened.db, scope('T2', 'run-2'), ['u1']))
    const [u1, u2] = await rows()
    expect(u1).toMatchObject({ contentHash: 'a', changedAt: 'T1', lastSeenAt: 'T2', lastSeenRunId: 'run-2' })
    expect(u2).toMatchObject({ lastSeenAt: 'T1', lastSeenRunId: 'run-1' })
  })
})
