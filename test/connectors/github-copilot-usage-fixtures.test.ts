/**
 * GitHub Copilot premium requests from their documented examples (test/fixtures/github-copilot):
 * the organization's year and one user's day, mapped to exact unified usage records (dollars to
 * cents exactly, the gross split into included and billed); both valid against the wire schema.
 */
import { describe, expect, it } from 'vitest'
import { premiumRequestUsage, usageReportLinks, usageReportUser } from '../../connectors/github-copilot/wire-schemas'
import { stableId } from '../../src/engine/mapping/stable-id'
import ORG_YEAR from '../fixtures/github-copilot/premium-request-usage'
import USER_DAY from '../fixtures/github-copilot/premium-request-usage.user-day'
import USER_RECORD from '../fixtures/github-copilot/usage-report-user-record'
import REPORT_LINKS from '../fixtures/github-copilot/usage-report-users-1-day'
import { evaluatorOf, mapUsage } from './support/usage-mapping'
import { describeDocExamples } from './support/wire-examples'

const FILE = 'github-copilot/premium-requests.jsonata'
const requests = (total: number, included: number, usageBased: number) => ({
  total,
  chat: null,
  agent: null,
  composer: null,
  cmdk: null,
  tab_shown: null,
  tab_accepted: null,
  api_key: null,
  included,
  usage_based: usageBased,
  bugbot: null,
})

describeDocExamples('github-copilot premium requests', [
  ['premium-request-usage', premiumRequestUsage, ORG_YEAR],
  ['premium-request-usage.user-day', premiumRequestUsage, USER_DAY],
  ['usage-report-users-1-day', usageReportLinks, REPORT_LINKS],
  ['usage-report-user-record', usageReportUser, USER_RECORD],
])

describe('github-copilot premium request mapping', () => {
  it('runs compiled', async () => {
    expect(await evaluatorOf(FILE)).toBe('closures')
  })

  it("maps the organization's year: no user, the whole year as the bucket", async () => {
    expect(await mapUsage(FILE, ORG_YEAR)).toEqual([
      {
        id: stableId('gh_premium', {
          period: { year: 2025 },
          org: 'GitHub',
          product: 'Copilot',
          sku: 'Copilot Premium Request',
          model: 'GPT-5',
        }),
        product: { id: 'copilot', name: 'Copilot' },
        metric_name: 'Copilot Premium Request',
        resources: null,
        organization: { id: 'GitHub', name: 'GitHub' },
        user: null,
        model: { id: 'GPT-5', provider: 'openai' },
        surface: null,
        charges: [
          { amount: 0, currency: 'USD', type: 'included' },
          { amount: 400, currency: 'USD', type: 'usage_based' },
        ],
        usage: {
          quantity: 100,
          unit: 'premium_request',
          tokens: null,
          requests: requests(100, 0, 100),
          sessions: null,
          code: null,
          activity: null,
        },
        start_date: '2025-01-01T00:00:00.000Z',
        end_date: '2026-01-01T00:00:00.000Z',
        created_at: null,
        updated_at: null,
        remote_data: ORG_YEAR.usageItems[0],
      },
    ])
  })

  it("maps one user's day: the login as user, fractional requests, dollars to cents without drift", async () => {
    const records = (await mapUsage(FILE, USER_DAY)) as any[]
    expect(records).toHaveLength(2)
    expect(records[0]).toMatchObject({
      user: { id: 'wwojcik', email: null, name: 'wwojcik' },
      model: { id: 'Claude Haiku 4.5', provider: 'anthropic' },
      // $0.1188 is 11.88 cents, not 11.879999999999999.
      charges: [
        { amount: 11.88, currency: 'USD', type: 'included' },
        { amount: 0, currency: 'USD', type: 'usage_based' },
      ],
      usage: { quantity: 2.97, requests: requests(2.97, 2.97, 0) },
      start_date: '2026-02-01T00:00:00.000Z',
      end_date: '2026-02-02T00:00:00.000Z',
    })
    expect(records[1].charges[0].amount).toBe(212)
    expect(records[0].id).not.toBe(records[1].id)
  })

  it('ends a December report at the next year and a month report at the next month', async () => {
    const dec = (await mapUsage(FILE, { ...ORG_YEAR, timePeriod: { year: 2025, month: 12 } })) as any[]
    expect([dec[0].start_date, dec[0].end_date]).toEqual(['2025-12-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'])
    const feb = (await mapUsage(FILE, { ...ORG_YEAR, timePeriod: { year: 2024, month: 2 } })) as any[]
    expect([feb[0].start_date, feb[0].end_date]).toEqual(['2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z'])
    const leap = (await mapUsage(FILE, { ...ORG_YEAR, timePeriod: { year: 2024, month: 2, day: 29 } })) as any[]
    expect([leap[0].start_date, leap[0].end_date]).toEqual(['2024-02-29T00:00:00.000Z', '2024-03-01T00:00:00.000Z'])
  })
})

describe('github-copilot per-user report mapping', () => {
  const FILE_DAY = 'github-copilot/user-day.jsonata'

  it('runs compiled', async () => {
    expect(await evaluatorOf(FILE_DAY)).toBe('closures')
  })

  it("maps a user's day of the downloaded report: the account id and login, lines, the CLI's tokens", async () => {
    const response = { ...REPORT_LINKS, records: [USER_RECORD] }
    expect(await mapUsage(FILE_DAY, response)).toEqual([
      {
        id: stableId('gh_copilot_day', { day: '2025-10-01', user: '1000001' }),
        product: { id: 'copilot', name: 'GitHub Copilot' },
        metric_name: 'daily_activity',
        resources: null,
        organization: null,
        user: { id: '1000001', email: null, name: 'octocat' },
        model: null,
        surface: null,
        charges: null,
        usage: {
          quantity: null,
          unit: null,
          tokens: { input: 3800, output: 5000, cache_read: null, cache_creation: null },
          requests: { ...requests(0, 0, 0), included: null, usage_based: null },
          sessions: { distinct: 2 },
          code: {
            lines_added: 8,
            lines_removed: 0,
            accepted_lines_added: null,
            accepted_lines_removed: null,
            accepts: 1,
            rejects: null,
            applies: null,
            commits: null,
            pull_requests: null,
            tool_actions: null,
          },
          activity: { is_active: true, client_version: 'vscode/1.85.0', max_mode: null },
        },
        start_date: '2025-10-01T00:00:00.000Z',
        end_date: '2025-10-02T00:00:00.000Z',
        created_at: null,
        updated_at: null,
        remote_data: USER_RECORD,
      },
    ])
  })

  it('has no records before the links were followed, or for a day nobody used Copilot', async () => {
    expect(await mapUsage(FILE_DAY, REPORT_LINKS)).toEqual([])
    expect(await mapUsage(FILE_DAY, { ...REPORT_LINKS, records: [] })).toEqual([])
  })
})
