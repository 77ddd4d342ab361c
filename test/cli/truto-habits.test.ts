/**
 * The Truto CLI's habits on `unimeter`: `-m/--method`, the long command names, and named
 * profiles saved by `login` (an owner-only file) and shown by `whoami`.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestGateway, TEST_TOKEN, type TestGateway } from '../support/gateway'
import { cliEnv, cliFor, killAll, runCli } from './support/cli'

let g: TestGateway
let cli: ReturnType<typeof cliFor>
let dir: string

beforeAll(async () => {
  g = await startTestGateway({ simulator: { users: 4 } })
  cli = cliFor(g)
  dir = mkdtempSync(join(tmpdir(), 'unimeter-cli-profiles-'))
})

afterAll(async () => {
  killAll()
  await g?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('Truto CLI spellings', () => {
  it('gets a record with -m get, refuses -m get without an id and methods the API does not have', async () => {
    const list = await cli(['unified', 'usage-metering', 'users', '-a', 'sandbox-claude', '-m', 'list', '-o', 'json'])
    expect(list.code).toBe(0)
    const id = JSON.parse(list.stdout)[0].id as string
    const got = await cli(['unified', 'usage-metering', 'users', id, '-a', 'sandbox-claude', '--method', 'get', '-o', 'json'])
    expect(got.code).toBe(0)
    expect(JSON.parse(got.stdout).id).toBe(id)
    const noId = await cli(['unified', 'usage-metering', 'users', '-a', 'sandbox-claude', '-m', 'get'])
    expect(noId.code).toBe(2)
    expect(noId.stderr).toContain('-m get needs a record id')
    const write = await cli(['unified', 'usage-metering', 'users', '-a', 'sandbox-claude', '-m', 'delete'])
    expect(write.code).toBe(2)
    expect(write.stderr).toMatch(/Allowed choices are list, get/)
  })

  it.each([
    [['integrated-accounts', 'list', '-o', 'json'], 'sandbox-claude'],
    [['api-tokens', 'list', '-o', 'json'], '['],
    [['sync-job-runs', 'list', '-o', 'json'], '['],
  ])('accepts %j', async (args, expected) => {
    const res = await cli(args)
    expect(res.stderr).toBe('')
    expect(res.code).toBe(0)
    expect(res.stdout).toContain(expected)
  })
})

describe('profiles', () => {
  const env = () => cliEnv(undefined, { UNIMETER_CONFIG: join(dir, 'nested', 'config.json') })

  it('login checks the pair, then saves it owner-only; a refused token saves nothing', async () => {
    const refused = await runCli(['login', '--profile', 'stage', '--api-url', g.url, '--token', 'not-a-token-of-this-gateway'], {
      env: env(),
    })
    expect(refused.code).toBe(1)
    expect(() => statSync(join(dir, 'nested', 'config.json'))).toThrow()

    const saved = await runCli(['login', '--profile', 'stage', '--api-url', g.url, '--token', TEST_TOKEN], { env: env() })
    expect(saved.code).toBe(0)
    expect(saved.stderr).toContain('Saved profile "stage"')
    const file = join(dir, 'nested', 'config.json')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(statSync(join(dir, 'nested')).mode & 0o777).toBe(0o700)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ profiles: { stage: { api_url: g.url, token: TEST_TOKEN } } })
  })

  it('a named profile serves commands with no URL or token in the environment; whoami says which', async () => {
    const listed = await runCli(['--profile', 'stage', 'accounts', 'list', '-o', 'json'], { env: env() })
    expect(listed.code).toBe(0)
    expect(listed.stdout).toContain('sandbox-claude')
    const who = await runCli(['whoami', '--profile', 'stage', '-o', 'json'], { env: env() })
    expect(who.code).toBe(0)
    expect(JSON.parse(who.stdout)).toEqual({
      profile: 'stage',
      api_url: g.url,
      token: `${TEST_TOKEN.slice(0, 6)}…`,
      config: join(dir, 'nested', 'config.json'),
      authenticated: true,
    })
    expect(who.stdout).not.toContain(TEST_TOKEN)
    const viaEnv = await runCli(['whoami', '-o', 'json'], { env: { ...env(), UNIMETER_PROFILE: 'stage' } })
    expect(JSON.parse(viaEnv.stdout).profile).toBe('stage')
  })

  it('an unknown profile is a usage error naming the fix', async () => {
    const res = await runCli(['--profile', 'nope', 'accounts', 'list'], { env: env() })
    expect(res.code).toBe(2)
    expect(res.stderr).toContain('no profile "nope"')
    expect(res.stderr).toContain('unimeter login --profile nope')
  })
})
