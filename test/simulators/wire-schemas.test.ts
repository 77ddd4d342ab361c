/**
 * The simulators answer in the vendors' documented shapes: every body they serve on the endpoints
 * the connectors call validates against the connector's wire schema, the same schema the
 * documented examples (test/fixtures) are checked against. Each simulator variant is covered, so
 * a field the docs do not show, or a documented field in the wrong type, fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { ANALYTICS_API_KEY, startSimulator as startClaude } from '../../connectors/claude/simulator'
import {
  claudeAnalyticsUsers,
  claudeCodeReport,
  claudeInvite,
  claudeInviteList,
  claudeOrganization,
  claudeUser,
  claudeUserList,
} from '../../connectors/claude/wire-schemas'
import { startSimulator as startOpenAI } from '../../connectors/openai-codex/simulator'
import { openaiInvite, openaiInviteList, openaiUser, openaiUserList } from '../../connectors/openai-codex/wire-schemas'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit'
import { expectWireValid } from '../connectors/support/wire-examples'

async function body(sim: RunningSimulator, path: string, headers: Record<string, string>): Promise<any> {
  const res = await fetch(`${sim.baseUrl}${path}`, { headers })
  expect(res.status).toBe(200)
  return res.json()
}

/** Every page of an id-cursor list, validated, and its records. */
async function walkList(
  sim: RunningSimulator,
  path: string,
  cursor: string,
  headers: Record<string, string>,
  schema: z.ZodType,
): Promise<any[]> {
  const records: any[] = []
  let after: string | null = null
  do {
    const page: any = await body(sim, `${path}?limit=7${after ? `&${cursor}=${after}` : ''}`, headers)
    expectWireValid(schema, page, `${path} after ${after}`)
    records.push(...page.data)
    after = page.has_more ? page.last_id : null
  } while (after)
  return records
}

const CLAUDE_VARIANTS: Array<Record<string, string>> = [
  {},
  { roles: 'enterprise', customerType: 'subscription', isRemote: 'always' },
  { customerType: 'subscription', subscriptionType: 'team', isRemote: 'never' },
]

describe.each(CLAUDE_VARIANTS)('claude simulator %o: bodies match the Admin API wire schemas', (variant) => {
  let sim: RunningSimulator
  let headers: Record<string, string>
  beforeAll(async () => {
    sim = await startClaude({ seed: 7, users: 30, variant })
    headers = { 'x-api-key': sim.credentials.api_key, 'anthropic-version': '2023-06-01' }
  })
  afterAll(() => sim?.close())

  it('organization, users and one user', async () => {
    expectWireValid(claudeOrganization, await body(sim, '/v1/organizations/me', headers), 'me')
    const users = await walkList(sim, '/v1/organizations/users', 'after_id', headers, claudeUserList)
    expect(users).toHaveLength(30)
    expectWireValid(claudeUser, await body(sim, `/v1/organizations/users/${users[12].id}`, headers), 'user')
  })

  it('invites (every status) and one invite', async () => {
    const invites = await walkList(sim, '/v1/organizations/invites', 'after_id', headers, claudeInviteList)
    expect(invites.some((i) => i.status === 'pending')).toBe(true)
    for (const invite of invites)
      expectWireValid(claudeInvite, await body(sim, `/v1/organizations/invites/${invite.id}`, headers), invite.id)
  })

  it('the Claude Code report of a busy day, every page', async () => {
    let page: string | null = null
    let rows = 0
    do {
      const report: any = await body(
        sim,
        `/v1/organizations/usage_report/claude_code?starting_at=2025-12-15&limit=5${page ? `&page=${encodeURIComponent(page)}` : ''}`,
        headers,
      )
      expectWireValid(claudeCodeReport, report, `report page ${page}`)
      rows += report.data.length
      page = report.has_more ? report.next_page : null
    } while (page)
    expect(rows).toBeGreaterThan(0)
  })

  it('the Enterprise Analytics users of a finalized day, every page (with the analytics key)', async () => {
    const date = new Date(Date.now() - 4 * 86_400_000).toISOString().slice(0, 10)
    let page: string | null = null
    const emails: string[] = []
    do {
      const res: any = await body(
        sim,
        `/v1/organizations/analytics/users?date=${date}&limit=7${page ? `&page=${encodeURIComponent(page)}` : ''}`,
        { 'x-api-key': ANALYTICS_API_KEY },
      )
      expectWireValid(claudeAnalyticsUsers, res, `analytics page ${page}`)
      emails.push(...res.data.map((r: any) => r.user.email_address))
      page = res.next_page
    } while (page)
    // Every member, sorted by email, as the reference says.
    expect(emails).toHaveLength(30)
    expect(emails).toEqual([...emails].sort())
  })
})

const OPENAI_VARIANTS: Array<Record<string, string>> = [{}, { fields: 'full', inviteTime: 'invited_at' }, { fields: 'minimal' }]

describe.each(OPENAI_VARIANTS)('openai-codex simulator %o: bodies match the Admin API wire schemas', (variant) => {
  let sim: RunningSimulator
  let headers: Record<string, string>
  beforeAll(async () => {
    sim = await startOpenAI({ seed: 7, users: 30, variant })
    headers = { authorization: `Bearer ${sim.credentials.api_key}` }
  })
  afterAll(() => sim?.close())

  it('users and one user', async () => {
    const users = await walkList(sim, '/organization/users', 'after', headers, openaiUserList)
    expect(users).toHaveLength(30)
    for (const i of [0, 3, 12]) expectWireValid(openaiUser, await body(sim, `/organization/users/${users[i].id}`, headers), users[i].id)
  })

  it('invites (every status) and one invite', async () => {
    const invites = await walkList(sim, '/organization/invites', 'after', headers, openaiInviteList)
    expect(invites.some((i) => i.status === 'pending')).toBe(true)
    for (const invite of invites) expectWireValid(openaiInvite, await body(sim, `/organization/invites/${invite.id}`, headers), invite.id)
  })
})
