/** `unimeter tokens create|list|revoke` through the real CLI. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestGateway, type TestGateway } from '../support/gateway'
import { cliEnv, cliFor, killAll, runCli } from './support/cli'

let g: TestGateway
let cli: ReturnType<typeof cliFor>
beforeAll(async () => {
  g = await startTestGateway({ sandbox: false })
  cli = cliFor(g)
})
afterAll(async () => {
  killAll()
  await g?.close()
})

describe('tokens', () => {
  it('creates a token (printed once), lists it without the secret, and a revoked token stops working', async () => {
    const created = await cli(['tokens', 'create', 'ci'])
    expect(created.code).toBe(0)
    const { id, token } = JSON.parse(created.stdout)
    expect(token).toMatch(/^um_/)
    expect(created.stderr).toContain('cannot be shown again')

    // The new token works on its own.
    const withNew = (args: string[]) => runCli(args, { env: cliEnv(g, { UNIMETER_TOKEN: token }) })
    const listed = await withNew(['tokens', 'list', '-o', 'json'])
    expect(listed.code).toBe(0)
    const rows = JSON.parse(listed.stdout)
    expect(rows.find((t: any) => t.id === id)).toMatchObject({ name: 'ci', revoked_at: null })
    expect(listed.stdout).not.toContain(token)

    const revoked = await cli(['tokens', 'revoke', id])
    expect(revoked.code).toBe(0)
    expect(JSON.parse(revoked.stdout)).toEqual({ id })
    const refused = await withNew(['tokens', 'list'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('"statusCode": 401')
  })

  it('creates a read token bound to a tenant with --role and --tenant, listed with both', async () => {
    const created = await cli(['tokens', 'create', 'acme-dashboard', '--role', 'read', '--tenant', 'acme'])
    expect(created.code).toBe(0)
    const { id, token } = JSON.parse(created.stdout)
    expect(JSON.parse(created.stdout)).toMatchObject({ role: 'read', tenant_id: 'acme' })
    const listed = JSON.parse((await cli(['tokens', 'list', '-o', 'json'])).stdout)
    expect(listed.find((t: any) => t.id === id)).toMatchObject({ name: 'acme-dashboard', role: 'read', tenant_id: 'acme' })

    // The token is what the options said: it reads its tenant, and may not manage tokens.
    const withNew = (args: string[]) => runCli(args, { env: cliEnv(g, { UNIMETER_TOKEN: token }) })
    const accounts = await withNew(['accounts', 'list', '-o', 'json'])
    expect(accounts.code).toBe(0)
    expect(JSON.parse(accounts.stdout)).toEqual([])
    const refused = await withNew(['tokens', 'create', 'escalate'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('"code": "forbidden"')
    expect(refused.stderr).toContain('role admin')
  })

  it('refuses an unknown --role before calling the gateway (2), and documents both options', async () => {
    const bad = await cli(['tokens', 'create', 'x', '--role', 'owner'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--role.*owner.*admin, write, read/s)
    const help = await cli(['tokens', 'create', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('--role <role>')
    expect(help.stdout).toContain('--tenant <tenant_id>')
    expect(help.stdout).toContain('$ unimeter tokens create acme-portal --role write --tenant acme')
  })

  it('needs a name (2) and reports an unknown id (1)', async () => {
    const [noName, unknown] = await Promise.all([cli(['tokens', 'create']), cli(['tokens', 'revoke', 'nope'])])
    expect(noName.code).toBe(2)
    expect(noName.stderr).toMatch(/missing required argument 'name'[\s\S]*hint: run `unimeter tokens create --help`/)
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('"code": "api_token_not_found"')
  })
})
