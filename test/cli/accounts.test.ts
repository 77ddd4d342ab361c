/** `unimeter accounts …` and `unimeter integrations` through the real CLI. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestGateway, type TestGateway } from '../support/gateway'
import { claudeProductionKey, cliFor, killAll } from './support/cli'

let g: TestGateway
let cli: ReturnType<typeof cliFor>
let key: string

beforeAll(async () => {
  g = await startTestGateway({ simulator: { users: 5 } })
  key = claudeProductionKey(g)
  cli = cliFor(g)
})
afterAll(async () => {
  killAll()
  await g?.close()
})

describe('accounts', () => {
  let id: string

  it('creates an account with the key from UNIMETER_CONTEXT_API_KEY, never printing it (even with -v)', async () => {
    const res = await cliFor(g, { UNIMETER_CONTEXT_API_KEY: key })([
      'accounts',
      'create',
      '--integration',
      'claude',
      '--tenant-id',
      'acme',
      '-v',
    ])
    expect(res.code).toBe(0)
    const account = JSON.parse(res.stdout)
    expect(account).toMatchObject({
      integration_name: 'claude',
      tenant_id: 'acme',
      status: 'active',
      credential_fields: ['api_key', 'analytics_api_key'],
    })
    expect(res.stdout + res.stderr).not.toContain(key)
    expect(res.stderr).toMatch(/^> \{"integration":"claude","context":\{"api_key":"\[redacted\]"\}/m)
    id = account.id
  })

  it('asks for a missing secret only on a terminal; piped, it explains the alternatives (exit 2)', async () => {
    const res = await cli(['accounts', 'create', '--integration', 'claude'])
    expect(res.code).toBe(2)
    expect(res.stderr).toContain('context.api_key (Admin API key) is needed and standard input is not a terminal')
    expect(res.stderr).toMatch(/hint: set UNIMETER_CONTEXT_API_KEY=…/)
  })

  it('names the available integrations for an unknown one (2), and passes a vendor rejection through (1)', async () => {
    const [unknown, rejected] = await Promise.all([
      cli(['accounts', 'create', '--integration', 'nope']),
      cliFor(g, { UNIMETER_CONTEXT_API_KEY: 'sk-ant-admin01-wrong-key' })(['accounts', 'create', '--integration', 'claude']),
    ])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/unknown integration "nope"[\s\S]*hint: available: claude, /)
    expect(rejected.code).toBe(1)
    const envelope = JSON.parse(rejected.stderr.slice(rejected.stderr.indexOf('{')))
    expect(envelope).toMatchObject({ statusCode: 401, truto_is_remote_error: true })
    expect(envelope.message).toContain('rejected the credentials')
  })

  it('lists (one page with a hint, or --all), gets and filters', async () => {
    const page = await cli(['accounts', 'list', '--limit', '2'])
    expect(page.code).toBe(0)
    expect(JSON.parse(page.stdout)).toHaveLength(2)
    const cursor = /^Next page: --next-cursor (\S+)$/m.exec(page.stderr)?.[1]
    expect(cursor).toBeTruthy()

    const [all, mine, one, rest] = await Promise.all([
      cli(['accounts', 'list', '--limit', '2', '--all']),
      cli(['accounts', 'list', '--integration', 'claude', '--environment', 'production']),
      cli(['accounts', 'get', id, '-o', 'json']),
      cli(['accounts', 'list', '--limit', '2', '--next-cursor', cursor!]),
    ])
    const api = (await g.json('/integrated-account?limit=500')).body.result
    expect(JSON.parse(all.stdout).map((a: any) => a.id)).toEqual(api.map((a: any) => a.id))
    expect(JSON.parse(mine.stdout).map((a: any) => a.id)).toEqual([id])
    expect(JSON.parse(one.stdout)).toMatchObject({ id, tenant_id: 'acme' })
    expect(JSON.parse(rest.stdout).map((a: any) => a.id)).toEqual(api.slice(2, 4).map((a: any) => a.id))
  })

  it('updates the tenant and rotates the secret (verified), and refuses an empty update', async () => {
    const tenant = await cli(['accounts', 'update', id, '--tenant-id', 'acme-eu', '-c', 'note=moved'])
    expect(tenant.code).toBe(0)
    expect(JSON.parse(tenant.stdout)).toMatchObject({ tenant_id: 'acme-eu', context: { note: 'moved' } })

    const [rotated, bad, empty] = await Promise.all([
      cliFor(g, { UNIMETER_CONTEXT_API_KEY: key })(['accounts', 'update', id, '--secret', 'api_key', '--unset', 'note']),
      cliFor(g, { UNIMETER_CONTEXT_API_KEY: 'sk-ant-admin01-not-the-key' })(['accounts', 'update', id, '--secret', 'api_key']),
      cli(['accounts', 'update', id]),
    ])
    expect(rotated.code).toBe(0)
    expect(JSON.parse(rotated.stdout).context).toEqual({})
    expect(rotated.stdout + rotated.stderr).not.toContain(key)
    expect(bad.code).toBe(1)
    expect(empty.code).toBe(2)
    expect(empty.stderr).toContain('nothing to update')
  })

  it('deletes; a get afterwards is a 404 (exit 1)', async () => {
    const del = await cli(['accounts', 'delete', id])
    expect(del.code).toBe(0)
    expect(JSON.parse(del.stdout)).toEqual({ id })
    const gone = await cli(['accounts', 'get', id])
    expect(gone.code).toBe(1)
    expect(gone.stderr).toContain('"code": "integrated_account_not_found"')
  })
})

describe('integrations', () => {
  it('lists the support matrix: whole in json, one line per integration in a table, fields per method for one', async () => {
    const api = (await g.json('/integrations')).body.result
    const [json, table, csv, unknown] = await Promise.all([
      cli(['integrations']),
      cli(['integrations', '-o', 'table']),
      cli(['integrations', 'claude', '-o', 'csv']),
      cli(['integrations', 'nope']),
    ])
    expect(JSON.parse(json.stdout)).toEqual(api)
    const rows = table.stdout.trimEnd().split('\n').slice(2)
    expect(rows.map((r) => r.split(/\s+/)[0])).toEqual(api.map((i: any) => i.id))
    expect(table.stdout).toMatch(/claude\s+Claude\s+api_key \(secret\), analytics_api_key \(se…\s+usage-metering\/users \(list,get\)/)
    const lines = csv.stdout.trimEnd().split('\r\n')
    expect(lines[0]).toBe('resource,field,list,get')
    expect(lines).toContain('usage-metering/users,name,yes,yes')
    expect(unknown.code).toBe(2)
  })
})
