/**
 * A vendor page larger than one D1 chunk, synced on real `wrangler dev` into local D1: Neon's
 * unpaginated members list (one vendor page holding every member) with enough members that the
 * page's rows total more than D1's 2,000,000-byte value limit, so the write must be split into
 * several JSON-array statements (src/db/d1-limits.ts) in the page's one batch. Every record is
 * then read back from the local copy through the API and compared with the vendor's, field by
 * field. Local D1 (workerd's SQLite) refuses a value over D1's 2,000,000 bytes as production does
 * (with the whole page as one array this run fails: "D1_ERROR: string or blob too big:
 * SQLITE_TOOBIG"); D1's statement-length and parameter limits are checked on the statements
 * themselves in test/sync/d1-chunk-plan.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectorModules } from '../../connectors'
import { baseUrlOverrideKey } from '../../src/config/settings'
import { D1_JSON_PARAM_MAX_BYTES, D1_MAX_VALUE_BYTES } from '../../src/db/d1-limits'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit/types'
import { CONTRACT_ENV, ContractClient } from '../contract/target'
import { startWranglerDev, type WranglerDev } from './wrangler-dev'

const TOKEN = 'workers-d1-admin-token'
const KEY = Buffer.alloc(32, 5).toString('base64')
/** About 900 bytes of stored row each: some 3.6 MB in the one vendor page. */
const MEMBERS = 4_000
const USERS = '/unified/usage-metering/users'

describe('a vendor page larger than D1 takes in one value, on wrangler dev', () => {
  let sim: RunningSimulator | undefined
  let worker: WranglerDev | undefined
  const client = new ContractClient(() => ({ url: worker!.url, token: TOKEN, runScheduled: async () => {}, close: async () => {} }))

  beforeAll(async () => {
    const neon = connectorModules.find((m) => m.definition.id === 'neon')
    if (!neon?.simulator) throw new Error('no Neon simulator')
    sim = await (await neon.simulator())({ users: MEMBERS, variant: { pagination: 'none' } })
    worker = await startWranglerDev({
      ...CONTRACT_ENV,
      [baseUrlOverrideKey('neon')]: sim.baseUrl,
      UNIMETER_ADMIN_TOKEN: TOKEN,
      UNIMETER_ENCRYPTION_KEY: KEY,
    })
  }, 120_000)

  afterAll(async () => {
    await worker?.stop()
    await sim?.close()
  }, 30_000)

  it('syncs every member of the one page and reads each back exactly', async () => {
    const account = await client.send('POST', '/integrated-account', {
      integration: 'neon',
      tenant_id: 'd1-limits',
      context: { ...sim!.context, ...sim!.credentials },
    })
    expect(account.status, account.text).toBe(201)
    const accountId = account.body.id as string
    const job = await client.send('POST', '/sync-job', {
      integrated_account_id: accountId,
      resources: [{ resource: 'usage-metering/users' }],
    })
    expect(job.status, job.text).toBe(201)
    const started = await client.json(`/sync-job/${job.body.id}/run`, { method: 'POST' })
    expect(started.status, started.text).toBe(201)

    const giveUpAt = Date.now() + 90_000
    // Under load, wrangler dev has been seen to hold a request that arrived while the run's
    // waitUntil wrote the page until another request came in: each read gives up after 10 s and
    // asks again, which is also that other request.
    const readRun = async () => {
      try {
        return (await client.json(`/sync-job-run/${started.body.id}`, { signal: AbortSignal.timeout(10_000) })).body
      } catch (err) {
        if ((err as Error).name !== 'TimeoutError') throw err
        return { status: 'unknown' }
      }
    }
    let run = await readRun()
    while (!['succeeded', 'failed', 'cancelled'].includes(run.status) && Date.now() < giveUpAt) {
      await new Promise((r) => setTimeout(r, 250))
      run = await readRun()
    }
    expect(run, worker!.output()).toMatchObject({ status: 'succeeded', error: null, pages_fetched: 1 })

    const byId = (records: Array<Record<string, unknown>>) => [...records].sort((a, b) => String(a.id).localeCompare(String(b.id)))
    const live = byId((await client.walk(`${USERS}?integrated_account_id=${accountId}&limit=1000`)).records)
    const stored = byId((await client.walk(`${USERS}?integrated_account_id=${accountId}&truto_super_query=1&limit=1000`)).records)
    // The simulator's members, and the few people it lists besides (the org's own).
    expect(live.length).toBeGreaterThanOrEqual(MEMBERS)
    expect(run.counts).toMatchObject({ added: live.length, updated: 0 })
    // The page is what the test claims: more than one chunk, more than D1's value limit.
    const pageBytes = live.reduce((sum, r) => sum + Buffer.byteLength(JSON.stringify(r)), 0)
    expect(pageBytes).toBeGreaterThan(D1_MAX_VALUE_BYTES)
    expect(pageBytes).toBeGreaterThan(2 * D1_JSON_PARAM_MAX_BYTES)
    // Field by field, remote_data included; where the vendor gives no updated_at the local copy
    // says when the sync saw the record change (src/sync/record-codec.ts).
    const seenAt = stored.map((r) => r.updated_at)
    for (const at of seenAt) expect(Date.parse(String(at))).toBeGreaterThan(0)
    expect(stored).toEqual(live.map((r, i) => (r.updated_at === null ? { ...r, updated_at: seenAt[i] } : r)))
  }, 240_000)
})
