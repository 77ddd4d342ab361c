/**
 * `unimeter webhooks …` and `unimeter sync-jobs …` through the real CLI: a webhook created by the
 * CLI receives a signed `sync_job_run:completed` from a run the CLI started and followed.
 */
import { createHmac } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestGateway, type TestGateway } from '../support/gateway'
import { cliFor, killAll, waitFor } from './support/cli'
// Members only: these suites count the Claude org's members (pending invites are a `then` list).
import { MEMBERS_ONLY } from '../sync/support/sync-helpers'

const USERS = 300
let g: TestGateway
let cli: ReturnType<typeof cliFor>
let receiver: Server
let hookUrl: string
const deliveries: Array<{ body: string; signature: string }> = []

beforeAll(async () => {
  g = await startTestGateway({ simulator: { users: USERS, variant: MEMBERS_ONLY }, env: { UNIMETER_ALLOW_PRIVATE_URLS: 'true' } })
  cli = cliFor(g)
  receiver = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8').on('data', (d: string) => (body += d))
    req.on('end', () => {
      deliveries.push({ body, signature: String(req.headers['x-truto-signature'] ?? '') })
      res.writeHead(200).end('ok')
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
})
afterAll(async () => {
  killAll()
  await g?.close()
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()))
})

const json = (text: string) => JSON.parse(text)
const claudeFaults = () => g.sandbox!.simulators.get('claude')!.faults

let secret: string
let webhookId: string
let jobId: string

describe('webhooks', () => {
  it('creates one (secret printed once), lists and gets it without the secret', async () => {
    const created = await cli(['webhooks', 'create', '--url', hookUrl, '--events', 'sync_job_run:completed,sync_job_run:failed'])
    expect(created.code).toBe(0)
    const hook = json(created.stdout)
    expect(hook).toMatchObject({ target_url: hookUrl, event_types: ['sync_job_run:completed', 'sync_job_run:failed'], is_active: true })
    expect(hook.secret).toEqual(expect.any(String))
    expect(created.stderr).toContain('cannot be shown again')
    secret = hook.secret
    webhookId = hook.id

    const [list, get] = await Promise.all([cli(['webhooks', 'list']), cli(['webhooks', 'get', webhookId, '-o', 'yaml'])])
    expect(json(list.stdout).map((w: any) => w.id)).toEqual([webhookId])
    expect(list.stdout + get.stdout).not.toContain(secret)
    expect(get.stdout).toContain(`target_url: ${hookUrl}`)
  })

  it('refuses an unknown event type (1, the gateway explains) and an empty update (2)', async () => {
    const [bad, empty] = await Promise.all([
      cli(['webhooks', 'create', '--url', hookUrl, '--events', 'nope:event']),
      cli(['webhooks', 'update', 'whatever']),
    ])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('unknown event type')
    expect(empty.code).toBe(2)
    expect(empty.stderr).toMatch(/nothing to update[\s\S]*hint: pass --url/)
  })
})

describe('sync jobs', () => {
  it('creates and lists a job', async () => {
    const created = await cli(['sync-jobs', 'create', '-a', 'sandbox-claude', '-q', 'limit=100'])
    expect(created.code).toBe(0)
    const job = json(created.stdout)
    expect(job).toMatchObject({
      integrated_account_id: 'sandbox-claude',
      resources: [{ resource: 'usage-metering/users', method: 'list', query: { limit: 100 } }],
      schedule: null,
    })
    jobId = job.id
    const [list, get] = await Promise.all([cli(['sync-jobs', 'list', '-a', 'sandbox-claude']), cli(['sync-jobs', 'get', jobId])])
    expect(json(list.stdout).map((j: any) => j.id)).toEqual([jobId])
    expect(json(get.stdout).id).toBe(jobId)
  })

  it('runs with --wait: progress on stderr, the finished run on stdout, and the webhook gets the signed event', async () => {
    const res = await cli(['sync-jobs', 'run', jobId, '--wait', '--interval', '50', '--progress'])
    expect(res.code).toBe(0)
    const run = json(res.stdout)
    expect(run).toMatchObject({ sync_job_id: jobId, status: 'succeeded', counts: { added: USERS, updated: 0, deleted: 0 } })
    expect(res.stderr).toMatch(
      new RegExp(`run ${run.id} \\[[ =]{20}\\] ${USERS} records .*succeeded {2}pages \\d+ {2}\\+${USERS} ~0 -0 =0\\n`),
    )

    await waitFor(() => deliveries.some((d) => d.body.includes(run.id)), 'the sync_job_run:completed delivery')
    const delivery = deliveries.find((d) => d.body.includes(run.id))!
    expect(json(delivery.body)).toMatchObject({ event: 'sync_job_run:completed', webhook_id: webhookId })
    expect(delivery.signature).toBe(`format=sha256,v=${createHmac('sha256', secret).update(delivery.body).digest('hex')}`)

    const [runs, one] = await Promise.all([cli(['sync-jobs', 'runs', jobId]), cli(['sync-jobs', 'runs', '--run', run.id])])
    expect(json(runs.stdout).map((r: any) => r.id)).toEqual([run.id])
    expect(json(one.stdout)).toMatchObject({ id: run.id, status: 'succeeded' })
  })

  it('cancels a running run; cancelling a finished run is a 422 (exit 1)', async () => {
    // The vendor never answers the first users page, so the run stays running until cancelled.
    claudeFaults().add({ fault: { kind: 'hang' }, path: '/organizations/users', times: 1 })
    const started = await cli(['sync-jobs', 'run', jobId])
    expect(started.code).toBe(0)
    const run = json(started.stdout)
    expect(['created', 'running']).toContain(run.status)
    const cancelled = await cli(['sync-jobs', 'cancel', run.id])
    expect(cancelled.code).toBe(0)
    expect(json(cancelled.stdout)).toMatchObject({ id: run.id, status: 'cancelled', cancel_requested: true })
    const again = await cli(['sync-jobs', 'cancel', run.id])
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('"statusCode": 422')
  })

  it("exits 1 with the run's error when a followed run fails", async () => {
    claudeFaults().add({ fault: { kind: 'status', status: 500, message: 'vendor down' }, path: '/organizations/users', times: -1 })
    try {
      const res = await cli(['sync-jobs', 'run', jobId, '--wait', '--interval', '50'])
      expect(res.code).toBe(1)
      expect(json(res.stdout)).toMatchObject({ status: 'failed' })
      expect(res.stderr).toMatch(/error: sync run \S+ failed/)
      expect(res.stderr).toContain('"statusCode": 5')
    } finally {
      claudeFaults().clear()
    }
  })

  it('needs a job id or --run for runs (2); updates the webhook; deletes both', async () => {
    const [usage, updated] = await Promise.all([
      cli(['sync-jobs', 'runs']),
      cli(['webhooks', 'update', webhookId, '--inactive', '--events', '*']),
    ])
    expect(usage.code).toBe(2)
    expect(json(updated.stdout)).toMatchObject({ id: webhookId, is_active: false, event_types: ['*'] })
    const [delJob, delHook] = await Promise.all([cli(['sync-jobs', 'delete', jobId]), cli(['webhooks', 'delete', webhookId])])
    expect(json(delJob.stdout)).toEqual({ id: jobId })
    expect(json(delHook.stdout)).toEqual({ id: webhookId })
    const gone = await cli(['webhooks', 'get', webhookId])
    expect(gone.code).toBe(1)
  })
})
