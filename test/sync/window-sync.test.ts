/**
 * The `window` sync mode, on a generic window-mode resource (support/window-fixture.ts: tokens per
 * user per day, keyed by day and user) against a real loopback vendor and SQLite file: the first
 * run syncs the job's initial window, later runs go back the resource's lookback from the
 * watermark, restated buckets update in place, nothing is deleted by absence, and a run killed
 * with SIGKILL resumes over the same window from its last committed page.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EVERY_TENANT } from '../../src/accounts/tenant-scope'
import { openSqlite, type OpenedSqlite } from '../../src/db/open-sqlite'
import { syncJobs, syncRecords } from '../../src/db/schema'
import type { GatewayServices } from '../../src/services'
import type { JobResource } from '../../src/sync/api-schemas'
import { runDueJobs } from '../../src/sync/due-jobs'
import { syncHost } from '../../src/sync/host'
import { findJob, insertJob, jobOr404 } from '../../src/sync/job-store'
import { validateJobResources } from '../../src/sync/job-validation'
import { findRun } from '../../src/sync/run-store'
import { triggerRun } from '../../src/sync/trigger'
import { TEST_KEY } from '../support/gateway'
import {
  dayAfter,
  METER_ACCOUNT,
  METER_KEY,
  METER_USERS,
  meterServices,
  startMeterVendor,
  today,
  type MeterVendor,
} from './support/window-fixture'

const LEASE_MS = 60_000
const CHILD = fileURLToPath(new URL('./support/window-child.ts', import.meta.url))
const env = { UNIMETER_ENCRYPTION_KEY: TEST_KEY, UNIMETER_LOG_LEVEL: 'error', UNIMETER_SYNC_LEASE_MS: String(LEASE_MS) }
let dir: string
let sqlite: OpenedSqlite
let services: GatewayServices
let vendor: MeterVendor
let child: ChildProcess | undefined

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'unimeter-window-'))
  sqlite = openSqlite(join(dir, 'unimeter.db'))
  vendor = await startMeterVendor()
  services = await meterServices(sqlite, env, vendor.url)
  const connector = services.connectors.get('meter')!
  await services.accounts.create({ id: METER_ACCOUNT, connector, environment: 'sandbox', context: { api_key: 'meter-key' } })
})
afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  await syncHost(services)?.drain()
  await vendor?.close()
  sqlite?.close()
  rmSync(dir, { recursive: true, force: true })
})

async function newJob(resources: Array<Partial<JobResource>>) {
  const valid = validateJobResources(services, { id: METER_ACCOUNT, integration: 'meter' }, resources as JobResource[])
  return insertJob(services, { accountId: METER_ACCOUNT, resources: valid, schedule: null, isActive: true })
}

async function runJob(jobId: string) {
  const triggered = await triggerRun(services, await jobOr404(services, jobId, EVERY_TENANT), 'manual')
  await triggered.done
  return (await findRun(services, triggered.run.id))!
}

const stored = () =>
  services.db
    .select()
    .from(syncRecords)
    .where(and(eq(syncRecords.integratedAccountId, METER_ACCOUNT), eq(syncRecords.resource, METER_KEY)))
const jobState = async (jobId: string) => JSON.parse((await findJob(services, jobId))!.job.state)
const windowOf = (q: URLSearchParams) => ({ from: q.get('from'), to: q.get('to') })

describe('job validation', () => {
  it('refuses window bounds in the query: each run sets them', async () => {
    await expect(newJob([{ resource: METER_KEY, query: { start_date: '2026-01-01' } }])).rejects.toThrow(
      /start_date cannot be set: each run syncs its own window/,
    )
  })
})

describe('window mode', () => {
  let jobId: string

  it('first run: the job’s initial days up to today, keyed by day and user', async () => {
    jobId = (await newJob([{ resource: METER_KEY, query: { limit: 4 }, window: { initial_days: 5 } }])).id
    const before = vendor.requests.length
    const run = await runJob(jobId)
    const first = dayAfter(today(), -4)
    expect(run).toMatchObject({ status: 'succeeded', added: 15, updated: 0, deleted: 0, unchanged: 0, pagesFetched: 4 })
    expect(vendor.requests.slice(before).map(windowOf)).toEqual(Array(4).fill({ from: first, to: dayAfter(today()) }))
    const rows = await stored()
    expect(rows).toHaveLength(15)
    expect(rows.map((r) => r.recordId)).toContain(JSON.stringify([first, 'u2']))
    expect(await jobState(jobId)).toEqual({ [METER_KEY]: { watermark: dayAfter(today()) } })
  })

  it('next run: from the watermark minus the lookback; a restated bucket is updated in place, nothing deleted', async () => {
    const yesterday = dayAfter(today(), -1)
    vendor.restate(yesterday, 'u1', 999)
    const before = vendor.requests.length
    const run = await runJob(jobId)
    // Lookback 2 from tomorrow: yesterday and today, 6 buckets, one of them restated.
    expect(vendor.requests.slice(before).map(windowOf)).toEqual(Array(2).fill({ from: yesterday, to: dayAfter(today()) }))
    expect(run).toMatchObject({ status: 'succeeded', added: 0, updated: 1, deleted: 0, unchanged: 5, deletionsHeld: false })
    const rows = await stored()
    // The three older days, outside this window, are kept as they were.
    expect(rows).toHaveLength(15)
    expect(rows.every((r) => r.deletedAt === null)).toBe(true)
    const restated = rows.find((r) => r.recordId === JSON.stringify([yesterday, 'u1']))!
    expect(JSON.parse(restated.unified)).toMatchObject({ tokens: 999, user: { id: 'u1' }, start_date: yesterday })
  })
})

describe('kill -9 in a window run', () => {
  it('resumes over the same window from its last committed page, nothing lost or duplicated', async () => {
    await services.db.delete(syncJobs)
    await services.db.delete(syncRecords)
    const job = await newJob([{ resource: METER_KEY, query: { limit: 3 }, window: { initial_days: 10 } }])
    const start = vendor.requests.length
    // 10 days × 3 users, 3 per page: 10 pages. Pages 1–4 answer, page 5 never does.
    vendor.stallRequest(start + 5)
    child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: { ...process.env, ...env, UNIMETER_DATABASE_PATH: join(dir, 'unimeter.db'), CHILD_VENDOR_URL: vendor.url, CHILD_JOB_ID: job.id },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout!.on('data', (d) => (output += d))
    child.stderr!.on('data', (d) => (output += d))
    await Promise.race([
      vendor.requestNumber(start + 5),
      once(child, 'exit').then(() => Promise.reject(new Error(`the child exited early:\n${output}`))),
    ])
    const exited = once(child, 'exit')
    child.kill('SIGKILL')
    expect((await exited)[1]).toBe('SIGKILL')
    const runId = JSON.parse(output.split('\n')[0]).run as string

    const parked = (await findRun(services, runId))!
    expect(parked).toMatchObject({ status: 'running', pagesFetched: 4, added: 12 })
    const window = { from: dayAfter(today(), -9), to: dayAfter(today()) }
    expect(JSON.parse(parked.checkpoint!).windows).toEqual({ [METER_KEY]: { start: window.from, end: window.to } })

    vendor.stallRequest(0)
    const resumedFrom = vendor.requests.length
    const report = await runDueJobs(services, new Date(Date.now() + LEASE_MS + 1_000))
    expect(report.resumed).toEqual([runId])
    await syncHost(services).runs.get(runId)?.done
    const run = (await findRun(services, runId))!
    expect(run).toMatchObject({ status: 'succeeded', pagesFetched: 10, added: 30, updated: 0, deleted: 0 })
    // Only pages 5–10 were asked again, over the window the killed run had fixed.
    const again = vendor.requests.slice(resumedFrom)
    expect(again.map((q) => q.get('page'))).toEqual(['5', '6', '7', '8', '9', '10'])
    expect(again.map(windowOf)).toEqual(Array(6).fill(window))
    const rows = await stored()
    expect(rows).toHaveLength(30)
    const keys = new Set(rows.map((r) => r.recordId))
    for (let d = 0; d < 10; d++) for (const u of METER_USERS) expect(keys.has(JSON.stringify([dayAfter(window.from, d), u]))).toBe(true)
  })
})
