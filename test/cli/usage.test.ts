/**
 * `unimeter usage` through the real CLI: the per-person summary of a tenant for a month, the
 * local usage list filtered by e-mail, and a CSV export of the copy; plus the flag rules.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseCsvRecord } from '../../src/cli/output/csv'
import { costText, formatMoney, summaryRows } from '../../src/cli/usage/summary-rows'
import { monthPeriod, usageQuery } from '../../src/cli/usage/usage-query'
import { startTestGateway, type TestGateway } from '../support/gateway'
import { MEMBERS_ONLY, SYNC_TEST_ENV } from '../sync/support/sync-helpers'
import { setupUsageTenant, type UsageTenant } from '../sync/support/usage-tenant'
import { cliFor, killAll } from './support/cli'

let g: TestGateway
let cli: ReturnType<typeof cliFor>
let tenant: UsageTenant
let dir: string

beforeAll(async () => {
  g = await startTestGateway({ simulator: { users: 4, variant: MEMBERS_ONLY }, env: { ...SYNC_TEST_ENV, UNIMETER_SYNC_SCHEDULER: 'off' } })
  tenant = await setupUsageTenant(g)
  cli = cliFor(g)
  dir = mkdtempSync(join(tmpdir(), 'unimeter-cli-usage-'))
})
afterAll(async () => {
  killAll()
  await g?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('usage summary', () => {
  it('prints one line per person of the tenant, cost in total and per vendor', async () => {
    const res = await cli(['usage', 'summary', '--tenant', 'acme', '--month', '2026-11', '-o', 'json'])
    expect(res.code, res.stderr).toBe(0)
    const rows = JSON.parse(res.stdout)
    const person = rows.find((r: any) => r.person === tenant.shared.toLowerCase())
    // 123.45 + 200 + 0.55 cents.
    expect(person).toMatchObject({
      seats: expect.stringContaining('claude'),
      active_days: 1,
      tokens: 330,
      cost: '$3.24',
      claude: '$1.23',
      cursor: '$2.00',
      'openai-codex': '$0.01',
    })
    const holders = new Set(Object.values(tenant.seatsOf).flatMap((users) => users.map((u) => u.emails[0].email.toLowerCase())))
    expect(new Set(rows.map((r: any) => r.person))).toEqual(holders)
    // October holds nothing: everyone is a seat holder without cost.
    const october = JSON.parse((await cli(['usage', 'summary', '--tenant', 'acme', '--month', '2026-10', '-o', 'json'])).stdout)
    expect(october.every((r: any) => r.cost === '' && r.active_days === 0)).toBe(true)
  })

  it('is a table on request', async () => {
    const table = await cli(['usage', 'summary', '--tenant', 'acme', '--month', '2026-11', '-o', 'table'])
    expect(table.code).toBe(0)
    expect(table.stdout.split('\n')[0]).toMatch(
      /^person\s+name\s+seats\s+active_days\s+tokens\s+requests\s+cost\s+claude\s+cursor\s+openai-codex$/,
    )
  })

  it('refuses a missing scope (2) and answers an unknown tenant with its 404 (1)', async () => {
    const none = await cli(['usage', 'summary', '--month', '2026-11'])
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('summary needs --tenant <id> or -a <account>')
    const other = await cli(['usage', 'summary', '--tenant', 'nobody', '--month', '2026-11'])
    expect(other.code).toBe(1)
    expect(other.stderr).toContain('tenant_not_found')
  })
})

describe('usage list and export', () => {
  it('lists the local copy of one person by e-mail', async () => {
    const res = await cli(['usage', 'list', '-a', 'sandbox-cursor', '--local', '--email', tenant.shared.toUpperCase(), '-o', 'json'])
    expect(res.code, res.stderr).toBe(0)
    expect(JSON.parse(res.stdout).map((r: any) => r.id)).toEqual(['k1'])
  })

  it('exports the copy of a month to CSV with the usage columns', async () => {
    const out = join(dir, 'usage.csv')
    const res = await cli(['usage', 'export', '-a', 'sandbox-claude', '--local', '--month', '2026-11', '--out', out])
    expect(res.code, res.stderr).toBe(0)
    expect(res.stderr).toContain('Exported 1 records')
    const [header, line] = readFileSync(out, 'utf8').trimEnd().split('\n')
    const columns = parseCsvRecord(header)
    expect(columns.slice(0, 3)).toEqual(['id', 'product', 'metric_name'])
    const record = Object.fromEntries(columns.map((c, i) => [c, parseCsvRecord(line)[i]]))
    expect(record).toMatchObject({ id: 'c1', surface: 'claude_code', start_date: '2026-11-03T00:00:00.000Z' })
    expect(JSON.parse(record.charges)).toEqual([{ amount: 123.45, currency: 'USD', type: 'total' }])
  })
})

describe('flags and formatting', () => {
  it('turns --month into the period, December into January', () => {
    expect(monthPeriod('2026-11')).toEqual({ start_date: '2026-11-01', end_date: '2026-12-01' })
    expect(monthPeriod('2026-12')).toEqual({ start_date: '2026-12-01', end_date: '2027-01-01' })
    expect(() => monthPeriod('2026-13')).toThrow(/--month must be YYYY-MM/)
    expect(usageQuery({ from: '2026-11-01', model: ['a', 'b'], local: true })).toEqual({
      start_date: '2026-11-01',
      model_ids: ['a', 'b'],
      truto_super_query: '1',
    })
    expect(() => usageQuery({ email: ['a@b.c'] })).toThrow(/add --local/)
    expect(() => usageQuery({ month: '2026-11', to: '2026-12-01' })).toThrow(/--month is a whole period/)
    expect(() => usageQuery({ from: 'tuesday' })).toThrow(/--from must be an ISO-8601 date/)
  })

  it('sums two accounts of one vendor exactly into its column', () => {
    const totals = (amount: number | string) => ({
      charges: [{ amount, currency: 'USD', type: 'total' }],
      usage: { tokens: {}, requests: {} },
      active_days: 1,
    })
    const [row] = summaryRows([
      {
        id: 'ada@example.com',
        user: { id: null, email: 'ada@example.com', name: 'Ada' },
        ...totals('0.3'),
        by_account: [
          { integration: 'claude', ...totals(10.1) },
          { integration: 'claude', ...totals(20.2) },
          { integration: 'cursor', ...totals(5) },
        ],
        seats: [{ integration: 'claude' }, { integration: 'claude' }],
      },
    ])
    expect(row).toMatchObject({ person: 'ada@example.com', seats: 'claude', claude: '$0.30', cursor: '$0.05', requests: '' })
  })

  it('shows minor units in the major unit, currencies apart, types named where there is no total', () => {
    expect(formatMoney(12345, 'USD')).toBe('$123.45')
    expect(formatMoney('500', 'JPY')).toBe('¥500')
    expect(formatMoney(7, null)).toBe('7 (no currency)')
    expect(
      costText([
        { amount: 100, currency: 'EUR', type: 'usage_based' },
        { amount: 50, currency: 'EUR', type: 'included' },
        { amount: 250, currency: 'USD', type: 'total' },
        { amount: 200, currency: 'USD', type: 'net' },
      ]),
    ).toBe('€1.00 usage_based + €0.50 included; $2.50')
  })
})
