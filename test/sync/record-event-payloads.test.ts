/**
 * Record events by reference: the outbox names the record, and the webhook delivery reads it from
 * the local copy when it is queued. Deliveries carry the record exactly as mapped and stored;
 * an event delivered late carries the record as it is by then; a
 * deleted record its last content; a record that no longer exists is not delivered. And change
 * detection: content hashes stored in the earlier key-sorted form still say "unchanged".
 */
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sha256Hex } from '../../src/crypto/digest'
import { syncEventOutbox, syncRecords } from '../../src/db/schema'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit/types'
import { dispatchOutbox, outboxInsert } from '../../src/sync/outbox'
import { recordEvent, type RunScope } from '../../src/sync/page-writer'
import { contentHash, matchesStoredHash, splitRecord, stableJson } from '../../src/sync/record-codec'
import { deliveryBody } from '../../src/webhooks/signature'
import { startTestGateway, type TestGateway } from '../support/gateway'
import { startReceiver, type Receiver } from './support/receiver'
import { createJob, runToEnd, MEMBERS_ONLY, SYNC_TEST_ENV, usersJob } from './support/sync-helpers'

const USERS = 12
const ACCOUNT = 'sandbox-claude'
let g: TestGateway
let sim: RunningSimulator
let receiver: Receiver
let webhookId: string
let jobId: string

beforeAll(async () => {
  g = await startTestGateway({
    simulator: { users: USERS, variant: MEMBERS_ONLY },
    env: { ...SYNC_TEST_ENV, UNIMETER_SYNC_SCHEDULER: 'off', UNIMETER_ALLOW_PRIVATE_URLS: 'true' },
  })
  sim = g.sandbox!.simulators.get('claude')!
  receiver = await startReceiver(() => 200)
  const hook = await g.json('/webhook', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ target_url: receiver.url, event_types: ['record:created', 'record:updated', 'record:deleted'] }),
  })
  webhookId = hook.body.id
  jobId = (await createJob(g, usersJob(ACCOUNT))).id
})
afterAll(async () => {
  await g?.close()
  await receiver?.close()
})

const deliveriesOf = (event: string) => receiver.received.filter((r) => r.body.event === event)
const settled = async (count: number) => {
  await receiver.until((r) => r.length >= count)
  await g.services.syncHost.idle()
}

describe('record events by reference', () => {
  it('delivers each created record byte for byte as the sync mapped and stored it, remote_data last', async () => {
    const run = await runToEnd(g, jobId)
    expect(run.counts.added).toBe(USERS)
    await settled(USERS)
    const rows = await g.services.db.select().from(syncRecords)
    const storedById = new Map(
      rows.map((r) => {
        // Stored as the engine serialized it, so reading it back gives the very same JSON.
        expect(JSON.stringify(JSON.parse(r.unified))).toBe(r.unified)
        return [r.recordId, { ...JSON.parse(r.unified), remote_data: JSON.parse(r.remoteData!) }]
      }),
    )
    const created = deliveriesOf('record:created')
    expect(created).toHaveLength(USERS)
    for (const r of created) {
      const recordId = r.body.payload.record_id
      const payload = {
        integrated_account_id: ACCOUNT,
        sync_job_id: jobId,
        sync_job_run_id: run.id,
        resource: 'usage-metering/users',
        record_id: recordId,
        record: storedById.get(recordId),
      }
      const createdAt = r.body.created_at.replace(' ', 'T')
      expect(r.raw).toBe(deliveryBody({ eventId: r.body.id, event: 'record:created', payload, webhookId, createdAt }))
    }
    // Delivered: the outbox is empty again, and it never held a copy of a record.
    expect(await g.services.db.select().from(syncEventOutbox)).toEqual([])
  })

  it('delivers an event drained late with the record as it is then, a deleted one with its last content', async () => {
    const resource = g.services.models.get('usage-metering', 'users')!
    const stored = await g.services.db.select().from(syncRecords).orderBy(syncRecords.recordId)
    const [changed, removed] = stored.map((r) => r.recordId)
    const createdRecord = (id: string) => deliveriesOf('record:created').find((r) => r.body.payload.record_id === id)!.body.payload.record
    const removedBefore = createdRecord(removed)

    // Events a crashed process committed but never emitted: they name their records only.
    const scope: RunScope = { accountId: ACCOUNT, jobId, runId: 'run-crashed', resource, resourceKey: 'usage-metering/users' }
    const now = new Date().toISOString()
    const left = [
      recordEvent('record:updated', scope, changed, now),
      recordEvent('record:deleted', scope, removed, now),
      recordEvent('record:created', scope, 'user_no_longer_anywhere', now),
    ]
    await g.services.atomic.run(outboxInsert(g.services, left))
    const waiting = await g.services.db.select().from(syncEventOutbox)
    expect(waiting.map((w) => JSON.parse(w.payload))).toEqual(left.map((e) => e.payload))
    expect(waiting.every((w) => !('record' in JSON.parse(w.payload)))).toBe(true)

    // Before they are emitted, the next run changes one record and deletes the other.
    sim.records.apply({ collection: 'users', id: changed, set: { name: 'Ada Lovelace' } })
    sim.records.apply({ collection: 'users', id: removed, remove: true })
    // The edits stay: the next test syncs the same vendor data again.
    const run = await runToEnd(g, jobId)
    expect(run.counts).toMatchObject({ updated: 1, deleted: 1, unchanged: USERS - 2 })
    await settled(USERS + 2)
    await dispatchOutbox(g.services)
    await settled(USERS + 4)

    const byId = (id: string) => receiver.received.find((r) => r.body.id === id)?.body
    const lateUpdate = byId(left[0].id)!
    const runUpdate = deliveriesOf('record:updated').find((r) => r.body.payload.sync_job_run_id === run.id)!.body
    expect(lateUpdate.payload.record.name).toBe('Ada Lovelace')
    expect(lateUpdate.payload.record).toEqual(runUpdate.payload.record)
    expect(lateUpdate.payload).toMatchObject({ sync_job_run_id: 'run-crashed', record_id: changed })
    expect(byId(left[1].id)!.payload.record).toEqual(removedBefore)
    const runDelete = deliveriesOf('record:deleted').find((r) => r.body.payload.sync_job_run_id === run.id)!.body
    expect(runDelete.payload.record).toEqual(removedBefore)
    // Its record never existed here: nothing to describe, nothing delivered, nothing left waiting.
    expect(byId(left[2].id)).toBeUndefined()
    expect(await g.services.db.select().from(syncEventOutbox)).toEqual([])
  })

  it('still delivers an outbox row written with its record inside, as written', async () => {
    const payload = { integrated_account_id: ACCOUNT, resource: 'usage-metering/users', record_id: 'r-old', record: { id: 'r-old' } }
    const at = new Date().toISOString()
    await g.services.db
      .insert(syncEventOutbox)
      .values({ id: 'evt_stored_whole', event: 'record:created', payload: JSON.stringify(payload), createdAt: at })
    const before = receiver.received.length
    await dispatchOutbox(g.services)
    await settled(before + 1)
    expect(receiver.received.find((r) => r.body.id === 'evt_stored_whole')!.body.payload).toEqual(payload)
  })
})

describe('change detection', () => {
  it('counts records hashed in the earlier key-sorted form unchanged, and moves them to the current form', async () => {
    const rows = await g.services.db.select().from(syncRecords).where(eq(syncRecords.integratedAccountId, ACCOUNT))
    expect(rows.every((r) => r.contentHash.startsWith('j:'))).toBe(true)
    for (const r of rows) {
      const legacy = await sha256Hex(stableJson({ u: JSON.parse(r.unified), r: r.remoteData === null ? null : JSON.parse(r.remoteData) }))
      await g.services.db.update(syncRecords).set({ contentHash: legacy }).where(eq(syncRecords.recordId, r.recordId))
    }
    const before = receiver.received.length
    const run = await runToEnd(g, jobId)
    expect(run.counts).toMatchObject({ added: 0, updated: 0, unchanged: USERS - 1 })
    await g.services.syncHost.idle()
    expect(receiver.received.length).toBe(before)
    const after = await g.services.db.select().from(syncRecords).where(eq(syncRecords.integratedAccountId, ACCOUNT))
    const live = after.filter((r) => r.deletedAt === null)
    expect(live.every((r) => r.contentHash.startsWith('j:'))).toBe(true)
    // Content and change times untouched: only the hash's form moved.
    for (const r of live)
      expect(r).toEqual({
        ...rows.find((x) => x.recordId === r.recordId)!,
        contentHash: r.contentHash,
        lastSeenAt: r.lastSeenAt,
        lastSeenRunId: run.id,
      })
  })

  it('hashes records as mapped, nested values included; a key-sorted stored hash matches its content in any key order', async () => {
    const resource = g.services.models.get('usage-metering', 'users')!
    const parts = (r: Record<string, unknown>) => splitRecord(resource, r)!
    const a = parts({ id: 'u1', name: 'A', remote_data: { id: 'u1', tags: [{ k: 1 }] } })
    const b = parts({ id: 'u1', name: 'A', remote_data: { id: 'u1', tags: [{ k: 2 }] } })
    const same = parts({ id: 'u1', name: 'A', remote_data: { id: 'u1', tags: [{ k: 1 }] } })
    expect(await contentHash(a, sha256Hex)).toBe(await contentHash(same, sha256Hex))
    expect(await contentHash(a, sha256Hex)).not.toBe(await contentHash(b, sha256Hex))
    // A hash stored in the key-sorted form matches the same content in any key order.
    const legacy = await sha256Hex(stableJson({ u: a.unified, r: a.remoteData }))
    const reordered = parts({ name: 'A', id: 'u1', remote_data: { tags: [{ k: 1 }], id: 'u1' } })
    expect(await matchesStoredHash(legacy, await contentHash(reordered, sha256Hex), reordered, sha256Hex)).toBe(true)
    expect(await matchesStoredHash(legacy, await contentHash(b, sha256Hex), b, sha256Hex)).toBe(false)
  })
})
