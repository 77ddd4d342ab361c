/**
 * A Truto client, unchanged, against the gateway: the SDK's wire behaviour (test/support/
 * truto-wire-client.ts) through unified list, get and iteration, accounts, webhooks, and
 * Truto-shaped sync jobs (defined per integration, run per account), and a permanent refusal
 * that such a client does not send again.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestGateway, TEST_TOKEN, walkAll, type TestGateway } from '../support/gateway'
import { TrutoWireClient, TrutoWireError } from '../support/truto-wire-client'

let g: TestGateway
let truto: TrutoWireClient
let receiver: Server
const delivered: Array<{ event: string }> = []
const USERS = '/unified/usage-metering/users'

beforeAll(async () => {
  // A webhook receiver on loopback (allowed by UNIMETER_ALLOW_PRIVATE_URLS for this test only).
  receiver = createServer((req, res) => {
    let text = ''
    req.on('data', (chunk) => (text += chunk))
    req.on('end', () => {
      delivered.push(JSON.parse(text))
      res.end('ok')
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  g = await startTestGateway({ simulator: { users: 23 }, env: { UNIMETER_ALLOW_PRIVATE_URLS: 'true' } })
  truto = new TrutoWireClient(g.url, TEST_TOKEN)
})

afterAll(async () => {
  await g?.close()
  await new Promise((resolve) => receiver?.close(resolve))
})

/** The error a refused request threw (the SDK throws TrutoError with status and data). */
async function refusal(request: Promise<unknown>): Promise<TrutoWireError & { data: Record<string, any> }> {
  const outcome = await request.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(outcome instanceof TrutoWireError)) throw new Error(`expected a refusal, got ${String(outcome)}`)
  return outcome as TrutoWireError & { data: Record<string, any> }
}

async function waitForRun(id: string): Promise<{ status: string; sync_job_id: string; counts: { added: number } }> {
  for (;;) {
    const run = await truto.request<{ status: string; sync_job_id: string; counts: { added: number } }>('GET', `/sync-job-run/${id}`)
    if (!['created', 'running'].includes(run.status)) return run
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('a Truto client', () => {
  it('lists users page after page (first page asked with an empty next_cursor) and gets one', async () => {
    const { items, pages } = await truto.all<{ id: string }>(USERS, { integrated_account_id: 'sandbox-claude', limit: 5 })
    const direct = await walkAll(g, `${USERS}?integrated_account_id=sandbox-claude&limit=5`)
    expect(pages).toBeGreaterThan(2)
    expect(items.map((u) => u.id)).toEqual(direct.records.map((r) => r.id))
    const one = await truto.request<{ id: string }>('GET', `${USERS}/${encodeURIComponent(items[3].id)}`, {
      integrated_account_id: 'sandbox-claude',
    })
    expect(one.id).toBe(items[3].id)
  })

  it("reads accounts with Truto's fields, updates one, and lists webhooks", async () => {
    const { items } = await truto.all<Record<string, any>>('/integrated-account', { integration_name: 'claude' })
    expect(items.length).toBeGreaterThan(0)
    for (const account of items) {
      expect(account).toMatchObject({
        integration: { name: 'claude' },
        integration_name: 'claude',
        environment_integration_id: 'claude',
        environment_id: 'default',
      })
      expect(typeof account.is_sandbox).toBe('boolean')
    }
    const updated = await truto.request<Record<string, any>>('PATCH', '/integrated-account/sandbox-claude', {}, { tenant_id: 'truto-sdk' })
    expect(updated.tenant_id).toBe('truto-sdk')
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/truto`
    const hook = await truto.request<{ id: string }>('POST', '/webhook', {}, { target_url: url, event_types: ['sync_job_run:completed'] })
    expect((await truto.all<{ id: string }>('/webhook')).items.map((h) => h.id)).toEqual([hook.id])
  })

  it('defines a sync job per integration and runs it per account; the account job is reused', async () => {
    const job = await truto.request<Record<string, any>>(
      'POST',
      '/sync-job',
      {},
      { integration_name: 'openai-codex', label: 'users', resources: [{ resource: 'usage-metering/users', method: 'list' }] },
    )
    expect(job).toMatchObject({
      integration_name: 'openai-codex',
      label: 'users',
      environment_id: 'default',
      resources: [{ resource: 'usage-metering/users', method: 'list' }],
    })
    expect(await truto.request('GET', `/sync-job/${job.id}`)).toEqual(job)
    expect((await truto.all<{ id: string }>('/sync-job')).items.map((j) => j.id)).toContain(job.id)

    const first = await truto.request<{ id: string; sync_job_id: string }>(
      'POST',
      '/sync-job-run',
      {},
      { sync_job_id: job.id, integrated_account_id: 'sandbox-openai-codex' },
    )
    const done = await waitForRun(first.id)
    expect(done.status).toBe('succeeded')
    // The sandbox's 23 members and its 3 pending invites.
    expect(done.counts.added).toBe(26)
    const copy = await g.json(`${USERS}?integrated_account_id=sandbox-openai-codex&truto_super_query=1&limit=100`)
    expect(copy.body.result.length).toBe(26)
    await expect.poll(() => delivered.filter((d) => d.event === 'sync_job_run:completed').length, { timeout: 10_000 }).toBeGreaterThan(0)

    const second = await truto.request<{ id: string; sync_job_id: string }>(
      'POST',
      '/sync-job-run',
      {},
      { sync_job_id: job.id, integrated_account_id: 'sandbox-openai-codex' },
    )
    expect(second.sync_job_id).toBe(first.sync_job_id)
    await waitForRun(second.id)

    // Another integration's account: a clear 400, no retry.
    const before = truto.requests
    const wrong = await refusal(
      truto.request('POST', '/sync-job-run', {}, { sync_job_id: job.id, integrated_account_id: 'sandbox-claude' }),
    )
    expect(wrong).toBeInstanceOf(TrutoWireError)
    expect(wrong.status).toBe(400)
    expect(wrong.data.message).toMatch(/defined for integration openai-codex/)
    expect(truto.requests - before).toBe(1)

    expect(await truto.request('DELETE', `/sync-job/${job.id}`)).toEqual({ id: job.id })
    expect((await g.json(`/sync-job/${first.sync_job_id}`)).status).toBe(404)
  })

  it('runs one of our per-account jobs by id too, and refuses it for another account', async () => {
    const ours = await g.json('/sync-job', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ integrated_account_id: 'sandbox-cursor', resources: [{ resource: 'usage-metering/users' }] }),
    })
    expect(ours.status).toBe(201)
    const run = await truto.request<{ id: string; sync_job_id: string }>(
      'POST',
      '/sync-job-run',
      {},
      { sync_job_id: ours.body.id, integrated_account_id: 'sandbox-cursor' },
    )
    expect(run.sync_job_id).toBe(ours.body.id)
    expect((await waitForRun(run.id)).status).toBe('succeeded')
    const other = await refusal(
      truto.request('POST', '/sync-job-run', {}, { sync_job_id: ours.body.id, integrated_account_id: 'sandbox-claude' }),
    )
    expect(other.status).toBe(400)
  })

  it('does not send a permanent conflict again (422, outside its retry list)', async () => {
    const body = { integrated_account_id: 'sandbox-neon', resources: [{ resource: 'usage-metering/users' }] }
    await truto.request('POST', '/sync-job', {}, body)
    const before = truto.requests
    const conflict = await refusal(truto.request('POST', '/sync-job', {}, body))
    expect(conflict).toBeInstanceOf(TrutoWireError)
    expect(conflict.status).toBe(422)
    expect(conflict.data.code).toBe('sync_job_conflict')
    expect(truto.requests - before).toBe(1)
  })
})
