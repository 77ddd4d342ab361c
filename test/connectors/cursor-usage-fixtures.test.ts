/**
 * Cursor usage from its documented examples (test/fixtures/cursor): daily usage, usage events in
 * both documented shapes, and the cycle's spend, each mapped to exact unified usage records; and
 * every example valid against the wire schemas.
 */
import { describe, expect, it } from 'vitest'
import { dailyUsage, teamSpend, usageEvents } from '../../connectors/cursor/wire-schemas'
import { stableId } from '../../src/engine/mapping/stable-id'
import DAILY from '../fixtures/cursor/teams-daily-usage-data'
import DAILY_NO_ID from '../fixtures/cursor/teams-daily-usage-data.no-user-id'
import EVENTS from '../fixtures/cursor/teams-filtered-usage-events'
import EVENTS_OLDER from '../fixtures/cursor/teams-filtered-usage-events.older'
import SPEND from '../fixtures/cursor/teams-spend'
import { evaluatorOf, mapUsage } from './support/usage-mapping'
import { describeDocExamples } from './support/wire-examples'

const CURSOR = { id: 'cursor', name: 'Cursor' }
const none = { resources: null, organization: null, surface: null, created_at: null, updated_at: null }
const noGroups = { tokens: null, requests: null, sessions: null, code: null, activity: null }

describeDocExamples('cursor usage', [
  ['teams-filtered-usage-events', usageEvents, EVENTS],
  ['teams-filtered-usage-events.older', usageEvents, EVENTS_OLDER],
  ['teams-daily-usage-data', dailyUsage, DAILY],
  ['teams-spend', teamSpend, SPEND],
])

describe('cursor usage mappings', () => {
  it.each(['cursor/daily-usage.jsonata', 'cursor/usage-events.jsonata', 'cursor/spend.jsonata'])('%s runs compiled', async (file) => {
    expect(await evaluatorOf(file)).toBe('closures')
  })

  it('maps a daily-usage row: requests by kind, code edits, activity, one UTC day', async () => {
    const day = '2024-03-18T00:00:00.000Z'
    expect(await mapUsage('cursor/daily-usage.jsonata', DAILY)).toEqual([
      {
        id: stableId('cursor_day', { day, user: 'developer@company.com' }),
        product: CURSOR,
        metric_name: 'daily_usage',
        ...none,
        user: { id: '12345', email: 'developer@company.com', name: null },
        model: null,
        charges: null,
        usage: {
          quantity: null,
          unit: null,
          ...noGroups,
          requests: {
            total: 185,
            chat: 128,
            agent: 12,
            composer: 45,
            cmdk: 67,
            tab_shown: 342,
            tab_accepted: 289,
            api_key: 0,
            included: 180,
            usage_based: 5,
            bugbot: 3,
          },
          code: {
            lines_added: 1543,
            lines_removed: 892,
            accepted_lines_added: 1102,
            accepted_lines_removed: 645,
            accepts: 73,
            rejects: 14,
            applies: 87,
            commits: null,
            pull_requests: null,
            tool_actions: null,
          },
          activity: { is_active: true, client_version: '0.25.1', max_mode: null },
        },
        start_date: day,
        end_date: '2024-03-19T00:00:00.000Z',
        remote_data: DAILY.data[0],
      },
    ])
  })

  it('keys a row without userId by its email, and reads a row without isActive as active', async () => {
    const [row] = (await mapUsage('cursor/daily-usage.jsonata', DAILY_NO_ID)) as any[]
    expect(row.user.id).toBeNull()
    expect(row.id).toBe(stableId('cursor_day', { day: row.start_date, user: row.user.email.toLowerCase() }))
    expect(row.usage.activity.is_active).toBe(DAILY_NO_ID.data[0].isActive !== false)
  })

  it('maps each event: model, tokens, chargedCents exactly, the kind as charge type', async () => {
    const records = (await mapUsage('cursor/usage-events.jsonata', EVENTS)) as any[]
    expect(records).toHaveLength(3)
    expect(records[0]).toEqual({
      id: stableId('cursor_event', {
        at: '1750979225854',
        user: 'developer@company.com',
        model: 'claude-4.5-sonnet',
        kind: 'Usage-based',
        input: 126,
        output: 450,
      }),
      product: CURSOR,
      metric_name: 'usage_event',
      resources: null,
      organization: null,
      surface: null,
      user: { id: null, email: 'developer@company.com', name: null },
      model: { id: 'claude-4.5-sonnet', provider: 'anthropic' },
      charges: [{ amount: 21.36232, currency: 'USD', type: 'usage_based' }],
      usage: {
        quantity: 5,
        unit: 'request_units',
        ...noGroups,
        tokens: { input: 126, output: 450, cache_read: 11964, cache_creation: 6112 },
        activity: { is_active: true, client_version: null, max_mode: true },
      },
      start_date: '2025-06-26T23:07:05.854Z',
      end_date: '2025-06-26T23:07:05.854Z',
      created_at: '2025-06-26T23:07:05.854Z',
      updated_at: null,
      remote_data: EVENTS.usageEvents[0],
    })
    expect(records[1].charges).toEqual([{ amount: 37.33, currency: 'USD', type: 'usage_based' }])
    // A request-priced event covered by the plan: no tokens, its chargedCents as included.
    expect(records[2]).toMatchObject({
      user: { email: 'admin@company.com' },
      charges: [{ amount: 8, currency: 'USD', type: 'included' }],
      usage: { quantity: 1.4, tokens: null },
    })
    expect(new Set(records.map((r) => r.id)).size).toBe(3)
  })

  it('falls back to tokenUsage.totalCents on the older shape, and has no charge without either', async () => {
    const records = (await mapUsage('cursor/usage-events.jsonata', EVENTS_OLDER)) as any[]
    expect(records.map((r) => r.charges)).toEqual([
      [{ amount: 20.18232, currency: 'USD', type: 'usage_based' }],
      [{ amount: 40.16699999999999, currency: 'USD', type: 'usage_based' }],
      null,
    ])
    expect(records[0].model).toEqual({ id: 'claude-4-opus', provider: 'anthropic' })
  })

  it("maps each member's cycle spend in cents, from the cycle start, open-ended", async () => {
    const records = (await mapUsage('cursor/spend.jsonata', SPEND)) as any[]
    const cycle = new Date(SPEND.subscriptionCycleStart).toISOString()
    expect(records).toHaveLength(SPEND.teamMemberSpend.length)
    const first = SPEND.teamMemberSpend[0]
    expect(records[0]).toEqual({
      id: stableId('cursor_spend', { cycle, user: first.email.toLowerCase() }),
      product: CURSOR,
      metric_name: 'cycle_spend',
      ...none,
      user: { id: String(first.userId), email: first.email, name: first.name },
      model: null,
      charges: [{ amount: first.spendCents, currency: 'USD', type: 'total' }],
      usage: { quantity: first.fastPremiumRequests, unit: 'fast_premium_request', ...noGroups },
      start_date: cycle,
      end_date: null,
      remote_data: first,
    })
  })
})
