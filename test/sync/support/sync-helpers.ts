/**
 * Helpers for the sync suites: jobs and runs through the HTTP API of a real test gateway, and
 * waiting for a run through the runner's own completion promise (no polling, no sleeps).
 */
import { expect } from 'vitest'
import { walkAll, type TestGateway } from '../../support/gateway'

/** Rate limits of the gateway itself are not what these suites test. */
export const SYNC_TEST_ENV = { UNIMETER_RATE_LIMIT_TOKEN: '0', UNIMETER_RATE_LIMIT_ACCOUNT: '0' }

/**
 * Simulator variant for suites that count a Claude org's members: an org without invites, so
 * every record is a member (the walk into pending invites is covered by crash-resume.test.ts
 * and test/engine/then-lists.test.ts).
 */
export const MEMBERS_ONLY = { invites: 'none' }

export const USERS_LIST = '/unified/usage-metering/users'

export async function createJob(g: TestGateway, body: Record<string, unknown>): Promise<any> {
  const { status, body: job } = await g.json('/sync-job', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  expect(status, JSON.stringify(job)).toBe(201)
  return job
}

export function usersJob(accountId: string, extra: Record<string, unknown> = {}, query: Record<string, unknown> = { limit: 25 }) {
  return { integrated_account_id: accountId, resources: [{ resource: 'usage-metering/users', method: 'list', query }], ...extra }
}

/** Resolves when this process has finished with the run, then returns it as the API shows it. */
export async function waitForRun(g: TestGateway, runId: string): Promise<any> {
  await g.services.syncHost.runs.get(runId)?.done
  const { status, body } = await g.json(`/sync-job-run/${runId}`)
  expect(status).toBe(200)
  return body
}

/** POST /sync-job/{id}/run and wait for the run to end. */
export async function runToEnd(g: TestGateway, jobId: string): Promise<any> {
  const { status, body } = await g.json(`/sync-job/${jobId}/run`, { method: 'POST' })
  expect(status, JSON.stringify(body)).toBe(201)
  return waitForRun(g, body.id)
}

/** Every record of the local copy, through the unified list with truto_super_query. */
export async function superQueryAll(g: TestGateway, accountId: string, extra = ''): Promise<any[]> {
  return (await walkAll(g, `${USERS_LIST}?integrated_account_id=${accountId}&truto_super_query=1&limit=40${extra}`)).records
}
