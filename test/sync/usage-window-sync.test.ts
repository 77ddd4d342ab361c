/**
 * Windowed sync end to end on Claude usage (the Claude Code report, one day per request) against
 * the sandbox simulator: the first run walks the job's initial days, the second only its lookback
 * from the watermark, and nothing synced before is marked deleted.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestGateway, type TestGateway } from '../support/gateway'
import { createJob, runToEnd, SYNC_TEST_ENV } from './support/sync-helpers'

const ACCOUNT = 'sandbox-claude'
let g: TestGateway

beforeAll(async () => {
  g = await startTestGateway({ simulator: { users: 12 }, env: { ...SYNC_TEST_ENV, UNIMETER_SYNC_SCHEDULER: 'off' } })
})
afterAll(async () => {
  await g?.close()
})

it('syncs Claude usage over a window, then incrementally from the watermark', async () => {
  const sim = g.sandbox!.simulators.get('claude')!
  const days = () =>
    sim.requests
      .filter((r) => r.path === '/v1/organizations/usage_report/claude_code')
      .map((r) => new URLSearchParams(r.query).get('starting_at'))
  const job = await createJob(g, {
    integrated_account_id: ACCOUNT,
    // report_type named: a period alone would pick the messages usage report (Truto's rule).
    resources: [{ resource: 'usage-metering/usage', query: { limit: 100, report_type: 'activity' }, window: { initial_days: 10 } }],
  })
  const before = days().length
  const first = await runToEnd(g, job.id)
  expect(first).toMatchObject({ status: 'succeeded', error: null, counts: { updated: 0, deleted: 0 } })
  expect(first.counts.added).toBeGreaterThan(0)
  // One request per day (the report serves one day), ten days up to today.
  const firstDays = days().slice(before)
  expect(new Set(firstDays).size).toBe(10)

  const again = days().length
  const second = await runToEnd(g, job.id)
  expect(second).toMatchObject({ status: 'succeeded', error: null, counts: { added: 0, deleted: 0 } })
  // The lookback (usage: 7 days) before the watermark (tomorrow), today included: 7 days.
  expect(new Set(days().slice(again)).size).toBe(7)
  expect(second.counts.updated + second.counts.unchanged).toBeGreaterThan(0)
})
