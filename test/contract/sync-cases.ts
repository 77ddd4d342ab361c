/**
 * Contract cases: sync jobs — a run started over the API copies every user into the local copy
 * (read back with truto_super_query), and a scheduled job runs when the scheduler fires (the
 * Cron Trigger on Workers).
 */
import { describe, expect, it } from 'vitest'
import type { ContractClient } from './target'
import type { ContractContext } from './suite'

const USERS = '/unified/usage-metering/users'
const FINISHED = ['succeeded', 'failed', 'cancelled']

async function createUsersJob(client: ContractClient, accountId: string, extra: Record<string, unknown> = {}) {
  const job = await client.send('POST', '/sync-job', {
    integrated_account_id: accountId,
    resources: [{ resource: 'usage-metering/users', query: { limit: 10 } }],
    ...extra,
  })
  expect(job.status, job.text).toBe(201)
  return job.body as { id: string; next_run_at: string | null }
}

export function syncCases({ client, gateway, accountId }: ContractContext): void {
  describe('sync jobs', () => {
    const ids = async (account: string, extra: string) =>
      (await client.walk(`${USERS}?integrated_account_id=${account}${extra}`)).records.map((r) => r.id).sort()

    it('a run copies every user, page by page, into the local copy', async () => {
      const account = accountId('claude')
      const job = await createUsersJob(client, account)
      const started = await client.json(`/sync-job/${job.id}/run`, { method: 'POST' })
      expect(started.status, started.text).toBe(201)
      const run = (await client.pollUntil(`/sync-job-run/${started.body.id}`, (r) => FINISHED.includes(r.status))).body
      const live = await ids(account, '&limit=50')
      expect(run).toMatchObject({ sync_job_id: job.id, trigger: 'manual', status: 'succeeded', error: null, is_partial: false })
      // One page per vendor page: the members' pages, then one of invites (the sandbox has fewer than 10).
      const invited = (await client.walk(`${USERS}?integrated_account_id=${account}&limit=50`)).records.filter(
        (r) => r.status === 'invited',
      ).length
      expect(invited).toBeGreaterThan(0)
      expect(run.pages_fetched).toBe(Math.ceil((live.length - invited) / 10) + 1)
      expect(run.counts.added + run.counts.updated + run.counts.unchanged).toBe(live.length)
      expect(await ids(account, '&truto_super_query=1&limit=7')).toEqual(live)
    })

    it('a scheduled job runs when the scheduler fires after its next run time', async () => {
      // Another vendor's account: one job per account and resource, and the run above has Claude's.
      const account = accountId('openai-codex')
      const job = await createUsersJob(client, account, { schedule: '0 * * * *' })
      const due = new Date(Date.parse(job.next_run_at!) + 1_000)
      await gateway().runScheduled(due)
      const runs = await client.pollUntil(
        `/sync-job-run?sync_job_id=${job.id}`,
        (page) => page.result.length > 0 && FINISHED.includes(page.result[0].status),
      )
      expect(runs.body.result).toHaveLength(1)
      expect(runs.body.result[0]).toMatchObject({ trigger: 'schedule', status: 'succeeded' })
      const after = await client.json(`/sync-job/${job.id}`)
      expect(Date.parse(after.body.next_run_at)).toBeGreaterThan(due.getTime())
      expect(await ids(account, '&truto_super_query=1&limit=7')).toEqual(await ids(account, '&limit=50'))
    })
  })
}
