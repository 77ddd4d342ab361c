/**
 * The CLI on a real pseudo-terminal: secrets prompted without echo, tables by default, and the
 * export progress bar.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestGateway, type TestGateway } from '../support/gateway'
import { claudeProductionKey, cliEnv } from './support/cli'
import { runOnTerminal } from './support/terminal'
// Members only: these suites count the Claude org's members (pending invites are a `then` list).
import { MEMBERS_ONLY } from '../sync/support/sync-helpers'

let g: TestGateway
let key: string
let dir: string

beforeAll(async () => {
  g = await startTestGateway({ simulator: { users: 1200, variant: MEMBERS_ONLY } })
  key = claudeProductionKey(g)
  dir = mkdtempSync(join(tmpdir(), 'unimeter-cli-tty-'))
})
afterAll(async () => {
  await g?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const PROMPT = 'Admin API key (api_key, not echoed): '

describe('on a terminal', () => {
  it('prompts for the secret without echoing it, and prints a table', async () => {
    const before = (await g.json('/integrated-account?environment=production')).body.result.length
    const res = await runOnTerminal(['accounts', 'create', '--integration', 'claude', '--tenant-id', 'tty'], cliEnv(g), [
      [PROMPT, `${key}\r`],
    ])
    expect(res.code).toBe(0)
    expect(res.screen).toContain(PROMPT)
    expect(res.screen).not.toContain(key)
    expect(res.screen).toMatch(/FIELD\s+VALUE\r\n-+\s+-+\r\nid\s+\S+\r\nintegration\s+.*"name":"claude".*\r\nintegration_name\s+claude\r\n/)
    expect(res.screen).toMatch(/\r\ntenant_id\s+tty\r\n/)
    expect((await g.json('/integrated-account?environment=production')).body.result.length).toBe(before + 1)
  })

  it('Ctrl-C at the prompt creates nothing and exits 130', async () => {
    const before = (await g.json('/integrated-account?environment=production')).body.result.length
    const res = await runOnTerminal(['accounts', 'create', '--integration', 'claude'], cliEnv(g), [[PROMPT, 'sk-ant-half\u0003']])
    expect(res.code).toBe(130)
    expect(res.screen).not.toContain('sk-ant-half')
    expect((await g.json('/integrated-account?environment=production')).body.result.length).toBe(before)
  })

  it('draws the export progress bar in place and ends it on its own line', async () => {
    const out = join(dir, 'users.ndjson')
    const res = await runOnTerminal(
      ['export', 'usage-metering/users', '-a', 'sandbox-claude', '--out', out, '--page-size', '100'],
      cliEnv(g),
    )
    expect(res.code).toBe(0)
    expect(res.screen).toMatch(/\r\x1b\[2Kusage-metering\/users \[[ =]{20}\] 1,200 records {2}[\d,]+\/s {2}\d\d:\d\d\r\n/)
    expect(res.screen).toContain('Exported 1,200 records')
    expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(1200)
  })
})
