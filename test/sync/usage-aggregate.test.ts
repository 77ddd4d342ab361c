/**
 * Super-query aggregates over stored usage: records written through the sync's own record store
 * (facets and all) into a real SQLite database, then filtered, grouped and joined across vendors
 * by the code the gateway answers with. Exact sums, currencies kept apart, people joined by e-mail.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openSqlite, type OpenedSqlite } from '../../src/db/open-sqlite'
import type { UnifiedResource } from '../../src/models/model-registry'
import { usageMeteringUsage } from '../../src/models/usage-metering/usage'
import { usageMeteringUsers } from '../../src/models/usage-metering/users'
import { DecimalSum } from '../../src/sync/super-query/decimal-sum'
import { parseSuperQueryFilters } from '../../src/sync/super-query/filters'
import { peopleRows } from '../../src/sync/super-query/people'
import { scanStoredRecords } from '../../src/sync/super-query/scan'
import { loadSeats } from '../../src/sync/super-query/seats'
import { aggregateUsage, type GroupRow } from '../../src/sync/super-query/usage-aggregate'
import { parseGroupBy, type GroupDimension } from '../../src/sync/super-query/usage-groups'
import { storeRecords } from './support/stored-records'

const usage = usageMeteringUsage

const ACCOUNTS = [
  { id: 'acme-claude', integration: 'claude' },
  { id: 'acme-cursor', integration: 'cursor' },
  { id: 'acme-openai', integration: 'openai' },
]

let opened: OpenedSqlite

const store = (accountId: string, resource: UnifiedResource, records: Record<string, unknown>[]) =>
  storeRecords(opened.db, accountId, resource, records)

/** A one-day bucket. */
const day = (d: string) => {
  const start = new Date(`${d}T00:00:00Z`)
  return { start_date: start.toISOString(), end_date: new Date(start.getTime() + 86_400_000).toISOString() }
}
const user = (email: string | null, id = email ?? 'anon', name: string | null = null) => ({ id, email, name })

function usageRecord(id: string, fields: Record<string, unknown>): Record<string, unknown> {
  return { id, remote_data: { raw: id }, ...fields }
}

async function aggregate(query: Record<string, unknown>, dims: GroupDimension[], accounts = ACCOUNTS, byAccount = accounts.length > 1) {
  const filters = parseSuperQueryFilters(usage, query)
  const seats = dims.includes('user') ? await loadSeats(opened.db, accounts) : undefined
  const sources = accounts.map((a) => ({
    accountId: a.id,
    integration: a.integration,
    records: scanStoredRecords(opened.db, { accountId: a.id, resourceKey: 'usage-metering/usage', filters }),
    emailOfUser: seats?.emailOfUser.get(a.id),
  }))
  const groups = await aggregateUsage(sources, dims, { byAccount })
  const rows = seats && dims.length === 1 ? peopleRows(groups, seats, { emails: filters.emails?.values, byAccount }) : groups
  return [...rows.values()].sort((a, b) => (a.id < b.id ? -1 : 1))
}
const byId = (rows: GroupRow[]) => Object.fromEntries(rows.map((r) => [r.id, r]))

beforeEach(async () => {
  opened = openSqlite(':memory:')
  // The rows stand alone; the accounts they would belong to are not what is tested.
  opened.sqlite.pragma('foreign_keys = OFF')
  // Ada uses all three vendors, with her address in three spellings; Cursor bills in cents as text.
  await store('acme-claude', usage, [
    usageRecord('c1', {
      user: user('Ada@Example.com', 'claude-ada', 'Ada Lovelace'),
      model: { id: 'claude-sonnet-4-5', provider: 'anthropic' },
      surface: 'claude_code',
      ...day('2026-11-03'),
      charges: [{ amount: '0.1', currency: 'USD', type: 'total' }],
      usage: { tokens: { input: 1000, output: 200, cache_read: 50 }, requests: { total: 3 } },
    }),
    usageRecord('c2', {
      user: user('ada@example.com', 'claude-ada'),
      model: { id: 'claude-opus-4-1', provider: 'anthropic' },
      surface: 'claude_code',
      ...day('2026-11-04'),
      charges: [{ amount: '0.2', currency: 'USD', type: 'total' }],
      usage: { tokens: { input: 500, output: 100 } },
    }),
    // Known to Claude Code only by id: the users copy gives the e-mail.
    usageRecord('c3', {
      user: { id: 'claude-bob', email: null, name: null },
      model: { id: 'claude-sonnet-4-5', provider: 'anthropic' },
      surface: 'claude_code',
      ...day('2026-11-05'),
      charges: [{ amount: 0.7, currency: 'USD', type: 'total' }],
      usage: { tokens: { input: 10 } },
    }),
    // Workspace cost no person is billed for.
    usageRecord('c4', {
      ...day('2026-11-05'),
      product: { id: 'api', name: 'API' },
      charges: [{ amount: '5.5', currency: 'USD', type: 'total' }],
    }),
    // Outside November.
    usageRecord('c5', {
      user: user('ada@example.com'),
      ...day('2026-10-30'),
      charges: [{ amount: '100', currency: 'USD', type: 'total' }],
    }),
  ])
  await store('acme-cursor', usage, [
    usageRecord('k1', {
      user: user('ADA@example.com', '42'),
      model: { id: 'gpt-5', provider: 'openai' },
      surface: 'composer',
      ...day('2026-11-03'),
      charges: [
        { amount: 0.1, currency: 'usd', type: 'usage_based' },
        { amount: 0.2, currency: 'usd', type: 'included' },
      ],
      usage: { requests: { total: 7, composer: 7 } },
    }),
    usageRecord('k2', {
      user: user('carol@example.com', '43', 'Carol'),
      surface: 'chat',
      ...day('2026-11-10'),
      charges: [{ amount: 2, currency: 'EUR', type: 'usage_based' }],
    }),
  ])
  await store('acme-openai', usage, [
    usageRecord('o1', {
      user: user('ada@example.com', 'user-ada'),
      model: { id: 'gpt-5-codex', provider: 'openai' },
      surface: 'api',
      ...day('2026-11-07'),
      charges: [{ amount: '0.30000000000000001', currency: 'USD', type: 'total' }],
      usage: { tokens: { input: 4, output: 6 } },
    }),
  ])
  await store('acme-claude', usageMeteringUsers, [
    {
      id: 'claude-ada',
      name: 'Ada Lovelace',
      emails: [{ email: 'ada@example.com', is_primary: true }],
      status: 'active',
      roles: [{ id: 'developer', name: 'developer' }],
    },
    { id: 'claude-bob', name: 'Bob', emails: [{ email: 'Bob@Example.com', is_primary: true }], status: 'active', roles: [] },
    {
      id: 'claude-dan',
      name: 'Dan Idle',
      emails: [{ email: 'dan@example.com', is_primary: true }],
      status: 'active',
      roles: [],
      last_active_at: null,
    },
  ])
  await store('acme-cursor', usageMeteringUsers, [
    { id: '42', name: 'Ada L.', emails: [{ email: 'ada@example.com', is_primary: null }], status: 'active', roles: [] },
  ])
})
afterEach(() => opened.close())

const NOVEMBER = { start_date: { gte: '2026-11-01T00:00:00Z', lt: '2026-12-01T00:00:00Z' } }

describe('DecimalSum', () => {
  it('adds decimals exactly, from numbers and text alike', () => {
    const floats = new DecimalSum()
    for (let i = 0; i < 10; i++) floats.add(0.1)
    expect(floats.value()).toBe(1)
    const text = new DecimalSum()
    for (const v of ['123.45', '0.000001', '-0.5', '1e2', '2.5E-3']) expect(text.add(v)).toBe(true)
    expect(text.value()).toBe('222.952501')
    expect(new DecimalSum().value()).toBe(0)
  })

  it('refuses what is not a decimal and adds nothing for it', () => {
    const sum = new DecimalSum()
    for (const v of ['', '.', 'abc', '1.2.3', NaN, Infinity, null, {}, '1e-40']) expect(sum.add(v)).toBe(false)
    expect(sum.count).toBe(0)
  })
})

describe('group_by', () => {
  it('parses the dimensions and refuses unknown ones or charge_type with token_type', () => {
    expect(parseGroupBy(['user', 'model', 'user'])).toEqual(['user', 'model'])
    expect(parseGroupBy('product,surface')).toEqual(['product', 'surface'])
    expect(() => parseGroupBy(['colour'])).toThrow(/group_by takes dimensions from product, surface, model, user, charge_type, token_type/)
    expect(() => parseGroupBy({ a: 'user' })).toThrow(/group_by takes/)
    expect(() => parseGroupBy(['charge_type', 'token_type'])).toThrow(/group by one of them/)
  })

  it('user on one account: exact sums per currency and type, tokens and requests key by key', async () => {
    const rows = byId(await aggregate(NOVEMBER, ['user'], [ACCOUNTS[0]]))
    expect(Object.keys(rows)).toEqual(['', 'ada@example.com', 'bob@example.com', 'dan@example.com'])
    expect(rows['ada@example.com']).toMatchObject({
      user: { id: 'claude-ada', email: 'ada@example.com', name: 'Ada Lovelace' },
      charges: [{ amount: '0.3', currency: 'USD', type: 'total' }],
      usage: { tokens: { cache_read: 50, input: 1500, output: 300 }, requests: { total: 3 } },
      record_count: 2,
      active_days: 2,
      start_date: '2026-11-03T00:00:00.000Z',
      end_date: '2026-11-05T00:00:00.000Z',
    })
    // Known by id only at Claude Code, joined to the seat's e-mail.
    expect(rows['bob@example.com']).toMatchObject({
      user: { id: 'claude-bob', email: 'bob@example.com', name: 'Bob' },
      charges: [{ amount: 0.7 }],
    })
    // A seat without usage: a row with zero totals.
    expect(rows['dan@example.com']).toMatchObject({ record_count: 0, charges: [], seats: [{ user_id: 'claude-dan', status: 'active' }] })
    // Cost no vendor attributes to a person.
    expect(rows['']).toMatchObject({ user: null, charges: [{ amount: '5.5', currency: 'USD', type: 'total' }], seats: [] })
  })

  it('never adds currencies or charge types together', async () => {
    const rows = byId(await aggregate(NOVEMBER, ['surface'], [ACCOUNTS[1]]))
    expect(rows.composer.charges).toEqual([
      { amount: 0.2, currency: 'USD', type: 'included' },
      { amount: 0.1, currency: 'USD', type: 'usage_based' },
    ])
    expect(rows.chat.charges).toEqual([{ amount: 2, currency: 'EUR', type: 'usage_based' }])
    const all = await aggregate(NOVEMBER, ['charge_type'], ACCOUNTS.slice(0, 2))
    expect(byId(all).usage_based.charges).toEqual([
      { amount: 2, currency: 'EUR', type: 'usage_based' },
      { amount: 0.1, currency: 'USD', type: 'usage_based' },
    ])
    expect(byId(all).total.charges).toEqual([{ amount: '6.5', currency: 'USD', type: 'total' }])
    // A charge_type row carries charges only; its counts would repeat across types.
    expect(byId(all).total.usage).toEqual({ tokens: {}, requests: {} })
  })

  it('token_type splits token counts and carries no charges; model and product have their own rows', async () => {
    const tokens = byId(await aggregate(NOVEMBER, ['token_type'], [ACCOUNTS[0]]))
    expect(Object.keys(tokens)).toEqual(['cache_read', 'input', 'output'])
    expect(tokens.input).toMatchObject({
      token_type: 'input',
      charges: [],
      usage: { tokens: { input: 1510 }, requests: {} },
      record_count: 3,
    })
    const models = byId(await aggregate(NOVEMBER, ['model', 'user'], [ACCOUNTS[0]]))
    // The workspace cost has neither: its row's keys are both empty.
    expect(Object.keys(models)).toEqual([
      'claude-opus-4-1|ada@example.com',
      'claude-sonnet-4-5|ada@example.com',
      'claude-sonnet-4-5|bob@example.com',
      '|',
    ])
    expect(models['claude-sonnet-4-5|bob@example.com']).toMatchObject({ model: { id: 'claude-sonnet-4-5', provider: 'anthropic' } })
    expect(models['claude-opus-4-1|ada@example.com'].seats).toBeUndefined()
    const products = byId(await aggregate(NOVEMBER, ['product'], [ACCOUNTS[0]]))
    expect(products.api).toMatchObject({ product: { id: 'api', name: 'API' }, record_count: 1 })
  })

  it('day splits by the UTC day buckets start on, per account across a tenant', async () => {
    const days = byId(await aggregate(NOVEMBER, ['day', 'charge_type'], ACCOUNTS))
    expect(Object.keys(days)).toEqual([
      '2026-11-03|included',
      '2026-11-03|total',
      '2026-11-03|usage_based',
      '2026-11-04|total',
      '2026-11-05|total',
      '2026-11-07|total',
      '2026-11-10|usage_based',
    ])
    expect(days['2026-11-05|total']).toMatchObject({
      day: '2026-11-05',
      charge_type: 'total',
      charges: [{ amount: '6.2', currency: 'USD' }],
    })
    expect(days['2026-11-03|total'].by_account?.map((a) => [a.integration, a.charges])).toEqual([
      ['claude', [{ amount: '0.1', currency: 'USD', type: 'total' }]],
    ])
    // A record without a start_date has no day.
    await store('acme-claude', usage, [usageRecord('c6', { charges: [{ amount: 1, currency: 'USD', type: 'total' }] })])
    expect(byId(await aggregate({}, ['day'], [ACCOUNTS[0]]))['']).toMatchObject({ day: null, record_count: 1 })
  })
})

describe('filters', () => {
  it('by e-mail (any case), model, product, surface and date range', async () => {
    const rows = async (q: Record<string, unknown>, dims: GroupDimension[] = ['surface']) => byId(await aggregate(q, dims))
    expect(Object.keys(await rows({ ...NOVEMBER, 'user.email': 'ADA@EXAMPLE.COM' }))).toEqual(['api', 'claude_code', 'composer'])
    expect((await rows({ 'model.id': ['claude-sonnet-4-5', 'gpt-5'] })).claude_code.record_count).toBe(2)
    expect(Object.keys(await rows({ 'product.id': 'api' }))).toEqual([''])
    expect(Object.keys(await rows({ surface: 'chat' }))).toEqual(['chat'])
    // October's record only without the range.
    expect((await rows({ 'user.email': 'ada@example.com' }, ['user']))['ada@example.com'].start_date).toBe('2026-10-30T00:00:00.000Z')
    expect((await rows({ ...NOVEMBER, 'user.email': 'ada@example.com' }, ['user']))['ada@example.com'].start_date).toBe(
      '2026-11-03T00:00:00.000Z',
    )
    // The live list's own parameters: id lists (any of) and the period, end exclusive.
    expect((await rows({ model_ids: 'claude-sonnet-4-5,gpt-5' })).claude_code.record_count).toBe(2)
    expect(Object.keys(await rows({ surfaces: ['chat', 'api'] }))).toEqual(['api', 'chat'])
    expect(Object.keys(await rows({ user_ids: ['43'] }))).toEqual(['chat'])
    const period = await rows({ start_date: '2026-11-04', end_date: '2026-11-07' })
    expect(period.claude_code.record_count).toBe(2)
    expect(period.api).toBeUndefined()
    expect(() => parseSuperQueryFilters(usage, { start_date: 'soon' })).toThrow(/start_date must be an ISO-8601 date/)
    // The e-mail filter limits seat holders too.
    expect(Object.keys(await rows({ 'user.email': 'dan@example.com' }, ['user']))).toEqual(['dan@example.com'])
  })
})

describe('across a tenant', () => {
  it('joins one person across Claude, Cursor and OpenAI by e-mail, with seats and totals per account', async () => {
    const people = byId(await aggregate(NOVEMBER, ['user']))
    expect(Object.keys(people)).toEqual(['', 'ada@example.com', 'bob@example.com', 'carol@example.com', 'dan@example.com'])
    const ada = people['ada@example.com']
    // Three vendors, three ids: the row keeps none, the accounts and seats keep theirs.
    expect(ada.user).toEqual({ id: null, email: 'ada@example.com', name: 'Ada Lovelace' })
    // Exact: 0.1 + 0.2 + 0.30000000000000001, every digit the vendors sent.
    expect(ada.charges).toEqual([
      { amount: 0.2, currency: 'USD', type: 'included' },
      { amount: '0.60000000000000001', currency: 'USD', type: 'total' },
      { amount: 0.1, currency: 'USD', type: 'usage_based' },
    ])
    expect(ada.usage).toEqual({ tokens: { cache_read: 50, input: 1504, output: 306 }, requests: { composer: 7, total: 10 } })
    expect(ada.record_count).toBe(4)
    expect(ada.active_days).toBe(3)
    expect(ada.by_account!.map((a) => [a.integrated_account_id, a.integration, a.record_count])).toEqual([
      ['acme-claude', 'claude', 2],
      ['acme-cursor', 'cursor', 1],
      ['acme-openai', 'openai', 1],
    ])
    expect(ada.by_account![1].charges).toEqual([
      { amount: 0.2, currency: 'USD', type: 'included' },
      { amount: 0.1, currency: 'USD', type: 'usage_based' },
    ])
    expect(ada.seats!.map((s) => [s.integration, s.user_id, s.roles])).toEqual([
      ['claude', 'claude-ada', ['developer']],
      ['cursor', '42', []],
    ])
    expect(people['carol@example.com']).toMatchObject({
      charges: [{ amount: 2, currency: 'EUR' }],
      seats: [],
      by_account: [{ integration: 'cursor' }],
    })
    expect(people['dan@example.com']).toMatchObject({ by_account: [], record_count: 0 })
  })
})
