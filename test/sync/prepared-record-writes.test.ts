/**
 * The two forms of page writes store the same rows: the same pages written through the prepared
 * statements (better-sqlite3) and the set-based json_each statements (D1's form) into two real
 * SQLite databases leave them equal, column for column, byte for byte, and read back the same
 * stored states.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { sqliteTransactionWriter } from '../../src/db/atomic'
import { openSqlite, type OpenedSqlite } from '../../src/db/open-sqlite'
import { syncRecords } from '../../src/db/schema'
import { preparedRecordWrites } from '../../src/sync/prepared-record-writes'
import { storedText } from '../../src/sync/record-codec'
import { setBasedRecordWrites, type PageScope, type RecordContent, type RecordWrites } from '../../src/sync/record-writes'

const scope = (now: string, runId: string): PageScope => ({
  accountId: 'acc-1',
  resourceKey: 'usage-metering/users',
  runId,
  jobId: 'job-1',
  now,
})
const content = (id: string, hash: string, remoteData: unknown): RecordContent => ({
  id,
  unified: { id, name: `${hash} "quoted" é`, tags: [1, 2.5, 1e21, null], nested: { a: { b: [] } } },
  remoteData,
  contentHash: hash,
  facets: { status: 'active', emails: ['x@example.com'] },
})

/** The record with its JSON text already serialized, as a sync page hands it over after hashing it. */
const withText = (r: RecordContent): RecordContent => ({
  ...r,
  text: storedText({ id: r.id, unified: r.unified, remoteData: r.remoteData }),
})

describe('prepared and set-based record writes', () => {
  let dbs: OpenedSqlite[]
  beforeEach(() => {
    dbs = [openSqlite(':memory:'), openSqlite(':memory:')]
    // These rows stand alone; the account they would belong to is not what is tested.
    for (const d of dbs) d.sqlite.pragma('foreign_keys = OFF')
  })
  afterEach(() => dbs.forEach((d) => d.close()))

  it('store the same rows through insert, update, touch and rehash', async () => {
    const forms: RecordWrites[] = [preparedRecordWrites(dbs[0].sqlite), setBasedRecordWrites(dbs[1].db)]
    const results = await Promise.all(
      forms.map(async (writes, i) => {
        const run = sqliteTransactionWriter(dbs[i].db).run
        const first = scope('T1', 'run-1')
        await run(
          writes.upsert(first, [content('u1', 'a', { raw: true }), withText(content("u'2", 'a', null)), content('u"3', 'a', 'text')])
            .statements,
        )
        const second = scope('T2', 'run-2')
        await run([
          ...writes.upsert(second, [content('u1', 'b', { raw: false })]).statements,
          ...writes.touch(second, ["u'2"]),
          ...writes.rehash(second, [{ id: "u'2", contentHash: 'j:a' }]),
          ...writes.upsert(second, []).statements,
          ...writes.touch(second, []),
        ])
        const states = await writes.storedStates(second, ['u1', "u'2", 'u"3', 'missing'])
        return { rows: await dbs[i].db.select().from(syncRecords).orderBy(syncRecords.recordId), states }
      }),
    )
    expect(results[0].rows).toHaveLength(3)
    expect(results[0].rows).toEqual(results[1].rows)
    expect([...results[0].states.entries()].sort()).toEqual([...results[1].states.entries()].sort())
    expect(results[0].states.get('u1')).toEqual({ recordId: 'u1', contentHash: 'b', deletedAt: null, lastSeenRunId: 'run-2' })
    expect(results[0].states.has('missing')).toBe(false)
    const rows = results.map((r) => r.rows)
    const byId = Object.fromEntries(rows[0].map((r) => [r.recordId, r]))
    expect(byId.u1).toMatchObject({
      contentHash: 'b',
      firstSeenAt: 'T1',
      changedAt: 'T2',
      remoteData: '{"raw":false}',
      lastSeenRunId: 'run-2',
    })
    expect(byId["u'2"]).toMatchObject({ contentHash: 'j:a', changedAt: 'T1', lastSeenAt: 'T2', remoteData: 'null' })
    expect(byId['u"3']).toMatchObject({ contentHash: 'a', lastSeenRunId: 'run-1' })
  })

  it('refuses prepared work in a D1-style batch with a message saying what to wire', async () => {
    const { batchWriter } = await import('../../src/db/atomic')
    const work = preparedRecordWrites(dbs[0].sqlite).touch(scope('T1', 'run-1'), ['u1'])
    await expect(batchWriter(dbs[0].db).run(work)).rejects.toThrow(/set-based record writes/)
  })
})
