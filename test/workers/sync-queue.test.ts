/**
 * Sync runs through the `unimeter-sync` queue on real `wrangler dev` (workerd, local D1 and
 * Queues; the simulators on loopback): the Cron Trigger sends one message per due job, each
 * consumer invocation syncs one page (UNIMETER_SYNC_INVOCATION_BUDGET_PAGES=1, far below a real
 * budget) and queues the continuation, and every run resumes from its checkpoint to completion
 * with every record in D1. wrangler dev logs each consumer invocation (`QUEUE unimeter-sync 1/1`):
 * there is one per page synced, so no run was done inside the cron's invocation or in one go.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectorModules } from '../../connectors'
import { baseUrlOverrideKey } from '../../src/config/settings'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit/types'
import { CONTRACT_ENV, ContractClient } from '../contract/target'
import { fireCron, startWranglerDev, type WranglerDev } from './wrangler-dev'

const TOKEN = 'workers-sync-queue-admin-token'
const KEY = Buffer.alloc(32, 11).toString('base64')
const USERS = '/unified/usage-metering/users'
/** The vendors whose accounts the cron fans out over; Claude's run is the long one. */
const VENDORS = ['claude', 'openai-codex', 'neon']
const PAGE = 10

describe('sync runs through the queue, across invocations, on wrangler dev', () => {
  const sims = new Map<string, RunningSimulator>()
  let worker: WranglerDev | undefined
  const client = new ContractClient(() => ({ url: worker!.url, token: TOKEN, runScheduled: async () => {}, close: async () => {} }))

  beforeAll(async () => {
    for (const id of VENDORS) {
      const module = connectorModules.find((m) => m.definition.id === id)
      if (!module?.simulator) throw new Error(`no ${id} simulator`)
      sims.set(id, await (await module.simulator())({ users: id === 'claude' ? 64 : 12 }))
    }
    const overrides = Object.fromEntries([...sims].map(([id, sim]) => [baseUrlOverrideKey(id), sim.baseUrl]))
    worker = await startWranglerDev(
      {
        ...CONTRACT_ENV,
        ...overrides,
        UNIMETER_ADMIN_TOKEN: TOKEN,
        UNIMETER_ENCRYPTION_KEY: KEY,
        UNIMETER_SYNC_INVOCATION_BUDGET_PAGES: '1',
      },
      { logLevel: 'info' },
    )
  }, 120_000)

  afterAll(async () => {
    await worker?.stop()
    for (const sim of sims.values()) await sim.close()
  }, 30_000)

  it('fans due jobs out and resumes each run across queue invocations to completion', async () => {
    const jobs: Array<{ vendor: string; accountId: string; id: string; nextRunAt: number }> = []
    for (const [vendor, sim] of sims) {
      const account = await client.send('POST', '/integrated-account', {
        integration: vendor,
        tenant_id: 'sync-queue',
        context: { ...sim.context, ...sim.credentials },
      })
      expect(account.status, account.text).toBe(201)
      const job = await client.send('POST', '/sync-job', {
        integrated_account_id: account.body.id,
        resources: [{ resource: 'usage-metering/users', query: { limit: PAGE } }],
        schedule: '0 * * * *',
      })
      expect(job.status, job.text).toBe(201)
      jobs.push({ vendor, accountId: account.body.id, id: job.body.id, nextRunAt: Date.parse(job.body.next_run_at) })
    }

    await fireCron(worker!, new Date(Math.max(...jobs.map((j) => j.nextRunAt)) + 1_000))

    const giveUpAt = Date.now() + 120_000
    const runs = new Map<string, any>()
    while (runs.size < jobs.length && Date.now() < giveUpAt) {
      for (const job of jobs) {
        const page = (await client.json(`/sync-job-run?sync_job_id=${job.id}`)).body
        if (page.result?.length === 1 && ['succeeded', 'failed', 'cancelled'].includes(page.result[0].status)) runs.set(job.id, page.result)
      }
      await new Promise((r) => setTimeout(r, 250))
    }
    expect(runs.size, worker!.output()).toBe(jobs.length)

    let pages = 0
    for (const job of jobs) {
      // One run per due job, finished, with every record of the vendor in D1.
      const [run] = runs.get(job.id)
      expect(run, worker!.output()).toMatchObject({ trigger: 'schedule', status: 'succeeded', error: null, is_partial: false })
      pages += run.pages_fetched
      const live = (await client.walk(`${USERS}?integrated_account_id=${job.accountId}&limit=50`)).records.map((r) => r.id).sort()
      const stored = (await client.walk(`${USERS}?integrated_account_id=${job.accountId}&truto_super_query=1&limit=50`)).records
      expect(stored.map((r) => r.id).sort(), job.vendor).toEqual(live)
      expect(run.counts).toMatchObject({ added: live.length, updated: 0, deleted: 0 })
    }
    const claude = runs.get(jobs[0].id)[0]
    expect(claude.pages_fetched).toBeGreaterThanOrEqual(7)

    // One consumer invocation per page: the first page of each run in the invocation its due
    // job's message started, every later one in a continuation's.
    const invocations = worker!.output().match(/QUEUE unimeter-sync 1\/1/g) ?? []
    expect(invocations.length, worker!.output()).toBe(pages)
  }, 240_000)
})
