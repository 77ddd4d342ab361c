/**
 * `unimeter export` through the real CLI: a piped export of a 2,500-user account compared record
 * for record with the API, CSV, and resuming after Ctrl-C (first from the stream, then from a
 * page checkpoint). Interruptions are made deterministic with the simulator's `hang` fault: the
 * export stops at a known page, the test waits for exactly the records before it, then SIGINTs.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseCsvRecord } from '../../src/cli/output/csv'
import { startTestGateway, walkAll, type TestGateway } from '../support/gateway'
import { cliEnv, cliFor, killAll, spawnCli, waitFor } from './support/cli'
// Members only: these suites count the Claude org's members (pending invites are a `then` list).
import { MEMBERS_ONLY } from '../sync/support/sync-helpers'

const USERS = 2500
let g: TestGateway
let cli: ReturnType<typeof cliFor>
let dir: string
let expected: any[]

beforeAll(async () => {
  g = await startTestGateway({ simulator: { users: USERS, variant: MEMBERS_ONLY } })
  cli = cliFor(g)
  dir = mkdtempSync(join(tmpdir(), 'unimeter-cli-export-'))
  expected = (await walkAll(g, '/unified/usage-metering/users?integrated_account_id=sandbox-claude&limit=1000')).records
  expect(expected).toHaveLength(USERS)
})
afterAll(async () => {
  killAll()
  await g?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const lineCount = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').length - 1 : 0)
const ndjson = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l))
const claudeFaults = () => g.sandbox!.simulators.get('claude')!.faults

describe('export', () => {
  it('streams every record to a pipe, identical to walking the API page by page', async () => {
    const res = await cli(['export', 'usage-metering/users', '-a', 'sandbox-claude', '--page-size', '300'])
    expect(res.code).toBe(0)
    expect(ndjson(res.stdout)).toEqual(expected)
    expect(res.stderr).toContain(`Exported ${USERS.toLocaleString('en-US')} records.`)
    // Piped stderr gets no progress bar.
    expect(res.stderr).not.toContain('\r')
  })

  it('writes CSV with the schema columns, and refuses to overwrite without --force', async () => {
    const out = join(dir, 'users.csv')
    const res = await cli([
      'export',
      'usage-metering/users',
      '-a',
      'sandbox-claude',
      '-o',
      'csv',
      '--out',
      out,
      '-q',
      'truto_ignore_remote_data=true',
    ])
    expect(res.code).toBe(0)
    expect(existsSync(`${out}.export-state.json`)).toBe(false)
    const rows = readFileSync(out, 'utf8').trimEnd().split('\r\n')
    expect(rows).toHaveLength(USERS + 1)
    const header = parseCsvRecord(rows[0])
    // No remote_data column: truto_ignore_remote_data leaves it out of every record.
    expect(header).toEqual([
      'id',
      'first_name',
      'last_name',
      'name',
      'emails',
      'roles',
      'status',
      'organization',
      'spend_limit',
      'last_active_at',
      'created_at',
      'updated_at',
    ])
    const first = Object.fromEntries(parseCsvRecord(rows[1]).map((v, i) => [header[i], v]))
    expect(first).toMatchObject({ id: expected[0].id, name: expected[0].name, emails: JSON.stringify(expected[0].emails) })
    expect(first).not.toHaveProperty('remote_data')

    const again = await cli(['export', 'usage-metering/users', '-a', 'sandbox-claude', '--out', out])
    expect(again.code).toBe(2)
    expect(again.stderr).toMatch(/already exists[\s\S]*hint: pass --force/)
  })

  it('keeps a resumable partial file on Ctrl-C, and --resume completes it exactly (twice interrupted)', async () => {
    const out = join(dir, 'users.ndjson')
    const args = ['export', 'usage-metering/users', '-a', 'sandbox-claude', '--out', out, '--page-size', '100']

    // 1. The stream: vendor pages 1-8 answer, page 9 hangs, so the file stops at 800 records.
    claudeFaults().add({ fault: { kind: 'hang' }, path: '/organizations/users', skip: 8, times: 1 })
    const first = spawnCli(args, { env: cliEnv(g) })
    await waitFor(() => lineCount(out) >= 800, 'the first 800 records')
    first.child.kill('SIGINT')
    const stopped = await first.done
    expect(stopped.code).toBe(130)
    expect(stopped.stderr).toContain(`Interrupted after 800 records; ${out} keeps them.`)
    expect(stopped.stderr).toContain(`Resume with: unimeter export usage-metering/users -a sandbox-claude -o ndjson --out ${out} --resume`)
    expect(ndjson(readFileSync(out, 'utf8'))).toEqual(expected.slice(0, 800))
    const state = JSON.parse(readFileSync(`${out}.export-state.json`, 'utf8'))
    expect(state).toMatchObject({
      version: 1,
      model: 'usage-metering',
      resource: 'users',
      account: 'sandbox-claude',
      format: 'ndjson',
      checkpoint: null,
    })
    expect(JSON.stringify(state)).not.toContain('test-admin-token')

    // A fresh export would clobber it: refused.
    const clobber = await cli(args)
    expect(clobber.code).toBe(2)
    expect(clobber.stderr).toMatch(/partial export[\s\S]*--resume/)

    // 2. Resume (re-reads pages 1-8 without writing), hangs at page 15: 1,400 records, checkpointed.
    claudeFaults().add({ fault: { kind: 'hang' }, path: '/organizations/users', skip: 14, times: 1 })
    const second = spawnCli(['export', '--out', out, '--resume'], { env: cliEnv(g) })
    await waitFor(
      () => lineCount(out) >= 1400 && JSON.parse(readFileSync(`${out}.export-state.json`, 'utf8')).checkpoint?.records === 1400,
      'the checkpoint after 1,400 records',
    )
    second.child.kill('SIGINT')
    const stoppedAgain = await second.done
    expect(stoppedAgain.code).toBe(130)
    expect(stoppedAgain.stderr).toContain('Resuming')
    expect(stoppedAgain.stderr).toContain('re-reading the pages it holds')
    expect(ndjson(readFileSync(out, 'utf8'))).toEqual(expected.slice(0, 1400))

    // 3. Resume from the checkpoint to the end: the file is the whole list, the state is gone.
    const last = await cli(['export', 'usage-metering/users', '-a', 'sandbox-claude', '--out', out, '--resume'])
    expect(last.code).toBe(0)
    expect(last.stderr).toContain('from its last completed page')
    expect(last.stderr).toContain(`Exported ${USERS.toLocaleString('en-US')} records to ${out}.`)
    expect(ndjson(readFileSync(out, 'utf8'))).toEqual(expected)
    expect(existsSync(`${out}.export-state.json`)).toBe(false)
  })

  it('resumes past a torn last line, and refuses a resume of something else', async () => {
    const out = join(dir, 'torn.ndjson')
    claudeFaults().add({ fault: { kind: 'hang' }, path: '/organizations/users', skip: 2, times: 1 })
    const run = spawnCli(['export', 'usage-metering/users', '-a', 'sandbox-claude', '--out', out, '--page-size', '250'], { env: cliEnv(g) })
    await waitFor(() => lineCount(out) >= 500, 'the first 500 records')
    run.child.kill('SIGINT')
    expect((await run.done).code).toBe(130)
    // A crash mid-write leaves half a record: resume cuts it off.
    const { appendFileSync } = await import('node:fs')
    appendFileSync(out, '{"id":"half a rec')

    const wrong = await cli(['export', 'usage-metering/users', '-a', 'sandbox-cursor', '--out', out, '--resume'])
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toMatch(/belongs to another export: its account is sandbox-claude/)

    const done = await cli(['export', '--out', out, '--resume'])
    expect(done.code).toBe(0)
    expect(ndjson(readFileSync(out, 'utf8'))).toEqual(expected)
  })

  it('shows a progress bar (records, rate, elapsed) when asked', async () => {
    const out = join(dir, 'progress.ndjson')
    const res = await cli(['export', 'usage-metering/users', '-a', 'sandbox-claude', '--out', out, '--progress'])
    expect(res.code).toBe(0)
    expect(res.stderr).toMatch(/usage-metering\/users \[[ =]{20}\] 2,500 records {2}[\d,]+\/s {2}\d\d:\d\d\n/)
  })
})
