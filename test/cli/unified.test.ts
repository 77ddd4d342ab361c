/** `unimeter unified`, output formats, global options and exit codes, through the real CLI. */
import { parse as parseYaml } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestGateway, TEST_TOKEN, walkAll, type TestGateway } from '../support/gateway'
import { cliEnv, cliFor, killAll, runCli } from './support/cli'

let g: TestGateway
let cli: ReturnType<typeof cliFor>
const USERS = '/unified/usage-metering/users?integrated_account_id=sandbox-claude'

beforeAll(async () => {
  g = await startTestGateway({ simulator: { users: 30 } })
  cli = cliFor(g)
})
afterAll(async () => {
  killAll()
  await g?.close()
})

const hintCursor = (stderr: string) => /^Next page: -q next_cursor=(\S+)$/m.exec(stderr)?.[1]

describe('unified list', () => {
  it('prints one page as a JSON array when piped, and the next page hint on stderr', async () => {
    const api = await g.json(`${USERS}&limit=5`)
    const res = await cli(['unified', 'usage-metering', 'users', '-a', 'sandbox-claude', '-q', 'limit=5'])
    expect(res.code).toBe(0)
    expect(JSON.parse(res.stdout)).toEqual(api.body.result)
    expect(hintCursor(res.stderr)).toBe(api.body.next_cursor)

    // Pasting the hint gives the next page.
    const next = await cli([
      'unified',
      'usage-metering',
      'users',
      '-a',
      'sandbox-claude',
      '-q',
      'limit=5',
      '-q',
      `next_cursor=${hintCursor(res.stderr)}`,
    ])
    const apiNext = await g.json(`${USERS}&limit=5&next_cursor=${encodeURIComponent(api.body.next_cursor)}`)
    expect(next.code).toBe(0)
    expect(JSON.parse(next.stdout)).toEqual(apiNext.body.result)
  })

  it('--all follows every cursor (ndjson), with no hint left', async () => {
    const { records } = await walkAll(g, `${USERS}&limit=7`)
    const res = await cli(['unified', 'usage-metering', 'users', '-a', 'sandbox-claude', '-q', 'limit=7', '--all', '-o', 'ndjson'])
    expect(res.code).toBe(0)
    const lines = res.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l))
    // 30 members, then the sandbox org's pending invites.
    expect(lines.filter((l) => l.status !== 'invited')).toHaveLength(30)
    expect(lines).toEqual(records)
    expect(res.stderr).not.toContain('Next page')
  })

  it('passes --query-json (arrays, booleans) to the gateway, and copies a stream format through', async () => {
    const [res, stream] = await Promise.all([
      cli([
        'unified',
        'usage-metering',
        'users',
        '-a',
        'sandbox-claude',
        '--query-json',
        '{"limit":3,"truto_exclude_fields":["remote_data","emails"]}',
      ]),
      cli(['unified', 'usage-metering', 'users', '-a', 'sandbox-claude', '-q', 'truto_response_format=stream,limit=4']),
    ])
    expect(stream.code).toBe(0)
    expect(
      stream.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual((await walkAll(g, `${USERS}&limit=100`)).records)
    expect(res.code).toBe(0)
    const records = JSON.parse(res.stdout)
    expect(records).toHaveLength(3)
    for (const r of records) {
      expect(r).not.toHaveProperty('remote_data')
      expect(r).not.toHaveProperty('emails')
      expect(r).toHaveProperty('name')
    }
  })

  it('renders csv, table and yaml', async () => {
    const api = (await g.json(`${USERS}&limit=4`)).body.result
    const csv = await cli(['unified', 'usage-metering', 'users', '-a', 'sandbox-claude', '-q', 'limit=4', '-o', 'csv'])
    const rows = csv.stdout.trimEnd().split('\r\n')
    expect(rows).toHaveLength(5)
    expect(rows[0].split(',')).toEqual(expect.arrayContaining(['id', 'name', 'emails', 'remote_data']))
    expect(rows[1].startsWith(`${api[0].id},`)).toBe(true)

    const table = await cli(['unified', 'usage-metering', 'users', '-a', 'sandbox-claude', '-q', 'limit=4', '-o', 'table'])
    const lines = table.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^id\s+name\s+/)
    expect(lines[0]).not.toContain('remote_data')
    expect(lines[1]).toMatch(/^-+\s+-+/)
    expect(lines.slice(2).map((l) => l.split(/\s{2,}/)[0])).toEqual(api.map((r: any) => r.id))

    const yaml = await cli(['unified', 'usage-metering', 'users', '-a', 'sandbox-claude', '-q', 'limit=4', '-o', 'yaml'])
    expect(parseYaml(yaml.stdout)).toEqual(api)
  })
})

describe('unified get', () => {
  it('prints the bare record, in yaml too', async () => {
    const [first] = (await g.json(`${USERS}&limit=1`)).body.result
    const api = await g.json(`/unified/usage-metering/users/${first.id}?integrated_account_id=sandbox-claude`)
    const res = await cli(['unified', 'usage-metering', 'users', first.id, '-a', 'sandbox-claude', '-o', 'yaml'])
    expect(res.code).toBe(0)
    expect(parseYaml(res.stdout)).toEqual(api.body)
  })
})

describe('errors and exit codes', () => {
  it('exits 1 with the error envelope on stderr for an API error', async () => {
    const res = await cli(['unified', 'usage-metering', 'users', '-a', 'no-such-account'])
    expect(res.code).toBe(1)
    expect(res.stdout).toBe('')
    const envelope = JSON.parse(res.stderr.slice(res.stderr.indexOf('{')))
    expect(envelope).toMatchObject({ statusCode: 404, code: 'integrated_account_not_found' })
  })

  it('exits 1 with a vendor error (truto_is_remote_error) passed through', async () => {
    g.sandbox!.simulators.get('claude')!.faults.add({
      fault: { kind: 'status', status: 403, message: 'key lacks admin scope' },
      path: '/organizations/users',
      times: 1,
    })
    const res = await cli(['unified', 'usage-metering', 'users', '-a', 'sandbox-claude', '-q', 'limit=2'])
    expect(res.code).toBe(1)
    const envelope = JSON.parse(res.stderr.slice(res.stderr.indexOf('{')))
    expect(envelope).toMatchObject({ statusCode: 403, truto_is_remote_error: true })
  })

  it('exits 2 with a hint for usage errors', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['unified', 'usage-metering', 'users'], /required option '-a, --account <id>'/],
      [['unified', 'usage-metering', 'users', '-a', 'x', '-o', 'xml'], /argument 'xml' is invalid/],
      [['unified', 'usage-metering', 'users', '-a', 'x', '-q', 'oops'], /-q expects key=value pairs/],
      [['unifed'], /unknown command 'unifed'/],
    ]
    const results = await Promise.all(cases.map(([args]) => cli(args)))
    results.forEach((res, i) => {
      expect(res.code, cases[i][0].join(' ')).toBe(2)
      expect(res.stderr).toMatch(cases[i][1])
      expect(res.stderr).toMatch(/^hint: /m)
    })
    expect(results[3].stderr).toMatch(/Did you mean unified\?/)
  })

  it('explains a missing token (2), a wrong token (1) and an unreachable gateway (1)', async () => {
    const args = ['unified', 'usage-metering', 'users', '-a', 'sandbox-claude']
    const [missing, wrong, unreachable] = await Promise.all([
      runCli(args, { env: cliEnv(g, { UNIMETER_TOKEN: undefined }) }),
      runCli([...args, '--token', 'not-a-real-token-000'], { env: cliEnv(g) }),
      runCli([...args, '--api-url', 'http://127.0.0.1:1'], { env: cliEnv(g) }),
    ])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/No API token[\s\S]*hint: pass --token/)
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toContain('"statusCode": 401')
    expect(unreachable.code).toBe(1)
    expect(unreachable.stderr).toMatch(/Cannot reach the gateway at http:\/\/127\.0\.0\.1:1/)
  })
})

describe('--verbose', () => {
  it('shows request and response on stderr with the token redacted', async () => {
    const res = await cli(['unified', 'usage-metering', 'users', '-a', 'sandbox-claude', '-q', 'limit=1', '-v'])
    expect(res.code).toBe(0)
    expect(res.stderr).toMatch(
      /^> GET http:\/\/127\.0\.0\.1:\d+\/unified\/usage-metering\/users\?limit=1&integrated_account_id=sandbox-claude$/m,
    )
    expect(res.stderr).toMatch(/^> authorization: Bearer test-a…\[redacted\]$/m)
    expect(res.stderr).toMatch(/^< 200 OK/m)
    expect(res.stderr).not.toContain(TEST_TOKEN)
    expect(JSON.parse(res.stdout)).toHaveLength(1)
  })
})
