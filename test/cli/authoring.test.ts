/**
 * `unimeter jsonata eval` and `unimeter mappings test`: the real CLI, the real mapping files, on
 * a vendor response saved from a running simulator (no gateway needed to run them).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestGateway, type TestGateway } from '../support/gateway'
import { unifiedUser } from '../support/unified-user'
import { killAll, runCli } from './support/cli'

let g: TestGateway
let dir: string
let raw: string
let rawBody: any
let unified: any[]

beforeAll(async () => {
  g = await startTestGateway({ simulator: { users: 4 } })
  dir = mkdtempSync(join(tmpdir(), 'unimeter-cli-authoring-'))
  rawBody = (await g.json('/unified/usage-metering/users?integrated_account_id=sandbox-claude&truto_response_format=raw')).body
  raw = join(dir, 'raw.json')
  writeFileSync(raw, JSON.stringify(rawBody))
  // The members: the saved raw body is the users page (pending invites come from another list).
  unified = (await g.json('/unified/usage-metering/users?integrated_account_id=sandbox-claude')).body.result.filter(
    (r: any) => r.status !== 'invited',
  )
})
afterAll(async () => {
  killAll()
  await g?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('jsonata eval', () => {
  it('evaluates with the mapping functions, from a file or stdin', async () => {
    const [fromFile, fromStdin] = await Promise.all([
      runCli(['jsonata', 'eval', '--expression', 'data.{"id": id, "at": $toIso(added_at)}', '--input', raw]),
      runCli(['jsonata', 'eval', '-e', '$count(data)', '--input', '-'], { input: JSON.stringify(rawBody) }),
    ])
    expect(fromFile.code).toBe(0)
    expect(JSON.parse(fromFile.stdout)).toEqual(rawBody.data.map((u: any) => ({ id: u.id, at: new Date(u.added_at).toISOString() })))
    expect(fromStdin.code).toBe(0)
    expect(fromStdin.stdout.trim()).toBe(String(rawBody.data.length))
  })

  it('points at the failing line and column (exit 1), and refuses bad input (exit 2)', async () => {
    const [runtime, syntax, badJson] = await Promise.all([
      runCli(['jsonata', 'eval', '--expression', '(\n  $x := data[0];\n  $x.email + 1\n)', '--input', raw]),
      runCli(['jsonata', 'eval', '--expression', 'data.{ "x": ']),
      runCli(['jsonata', 'eval', '--expression', 'a', '--input', '-'], { input: '{nope' }),
    ])
    expect(runtime.code).toBe(1)
    expect(runtime.stderr).toBe(
      'error: The expression failed at line 3, column 12:\n  3 |   $x.email + 1\n                 ^\nThe left side of the "+" operator must evaluate to a number\n',
    )
    expect(syntax.code).toBe(1)
    expect(syntax.stderr).toMatch(/does not compile at line 1, column \d+:[\s\S]*Expected "}" before end of expression/)
    expect(badJson.code).toBe(2)
    expect(badJson.stderr).toMatch(/--input - is not valid JSON/)
  })
})

describe('mappings test', () => {
  it("runs the real Claude mapping on a saved list response: the gateway's records, minus what side loads add", async () => {
    const res = await runCli(['mappings', 'test', '--integration', 'claude', '--resource', 'users', '--method', 'list', '--input', raw])
    expect(res.code).toBe(0)
    const records = JSON.parse(res.stdout)
    // Side loads (organization, activity) are not in a saved response, so those fields differ;
    // the mapping's own output leaves out what it has no value for, the unified format says null.
    const strip = (r: any) => ({ ...r, organization: undefined, last_active_at: undefined })
    expect(records.map((r: any) => strip(unifiedUser(r)))).toEqual(unified.map(strip))
  })

  it('runs a get on one saved record, with side loads from a file', async () => {
    const user = join(dir, 'user.json')
    writeFileSync(user, JSON.stringify(rawBody.data[0]))
    const sideload = join(dir, 'sideload.json')
    writeFileSync(sideload, JSON.stringify({ organization: [{ id: 'org_1', name: 'Acme' }], activity: [] }))
    const res = await runCli([
      'mappings',
      'test',
      '--integration',
      'claude',
      '--resource',
      'usage-metering/users',
      '--method',
      'get',
      '--input',
      user,
      '--sideload',
      sideload,
      '-o',
      'json',
    ])
    expect(res.code).toBe(0)
    expect(JSON.parse(res.stdout)).toMatchObject({ id: rawBody.data[0].id, organization: { id: 'org_1', name: 'Acme' } })
  })

  it('shows the mapping file, line and column of a failure (exit 1); unknown names are usage errors (exit 2)', async () => {
    const draft = join(dir, 'draft.jsonata')
    writeFileSync(draft, '(\n  response.data.{\n    "id": id,\n    "name": $nope(name)\n  }\n)\n')
    const [failed, unknownIntegration, unknownResource] = await Promise.all([
      runCli(['mappings', 'test', '--integration', 'claude', '--resource', 'users', '--input', raw, '--mapping', draft]),
      runCli(['mappings', 'test', '--integration', 'nope', '--resource', 'users', '--input', raw]),
      runCli(['mappings', 'test', '--integration', 'limitr', '--resource', 'workspaces', '--input', raw]),
    ])
    expect(failed.code).toBe(1)
    expect(failed.stderr).toBe(
      `error: ${draft} failed at line 4, column 18:\n  4 |     "name": $nope(name)\n${' '.repeat(23)}^\nAttempted to invoke a non-function\n`,
    )
    expect(unknownIntegration.code).toBe(2)
    expect(unknownIntegration.stderr).toMatch(/unknown integration "nope"[\s\S]*hint: available: claude/)
    expect(unknownResource.code).toBe(2)
    expect(unknownResource.stderr).toMatch(/Limitr has no usage-metering\/workspaces/)
  })
})
