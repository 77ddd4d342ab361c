/**
 * What the reference gateway knows of each vendor, written out by hand for its users list: the
 * vendor lists it walks, how one page of each is asked for and read, its side loads and mapper.
 * The same requests the connectors in connectors/ describe (see each one's doc links there).
 */
import { daysAgo } from '../../src/engine/mapping/functions'
import { claudeUsers } from '../handwritten/claude'
import { cursorUsers } from '../handwritten/cursor'
import { limitlyUsers } from '../handwritten/limitly'
import { neonUsers } from '../handwritten/neon'
import type { HandMapper } from '../handwritten/index'
import { claudeInvites, openaiCodexInvites } from '../handwritten/invites'
import { openaiCodexUsers } from '../handwritten/openai-codex'
import { orEmpty, type ReferenceSideLoads } from './side-loads'
import type { VendorClient } from './vendor-client'

type State = string | number | null

/** One vendor page, mapped: the records from `offset` on (at most `need`), and where the list goes on. */
export interface ListPage {
  records: Array<Record<string, unknown>>
  /** The page holds more records than were served: the next gateway page starts inside it. */
  more: boolean
  /** The next vendor page's state; null = this list is done. */
  next: State
}

export interface VendorContext {
  vendor: VendorClient
  sideLoads: ReferenceSideLoads
  /** The account's context and credentials (Neon's `org_id`). */
  account: Record<string, string>
}

export interface ReferenceVendor {
  maxPageSize: number
  authHeaders(credentials: Record<string, string>): Record<string, string>
  /** The vendor lists walked one after the other (members, then invites). */
  lists: Array<(ctx: VendorContext, state: State, pageSize: number, offset: number, need: number) => Promise<ListPage>>
}

/** `after`-style cursor pages (`data`, `has_more`, `last_id`), mapped whole then sliced. */
function afterIdList(path: string, param: string, map: HandMapper, sideload: (ctx: VendorContext) => Promise<Record<string, unknown[]>>) {
  return async (ctx: VendorContext, state: State, pageSize: number, offset: number, need: number): Promise<ListPage> => {
    const query: Record<string, string | number> = { limit: pageSize }
    if (state !== null) query[param] = state
    const [body, loaded] = await Promise.all([ctx.vendor.call('GET', path, query), sideload(ctx)])
    const records = map({ response: body, sideload: loaded } as never)
    const next = body.has_more && body.last_id ? String(body.last_id) : null
    return { records: records.slice(offset, offset + need), more: records.length - offset > need, next }
  }
}

/** Claude: the Claude Code usage report of three days ago (paged) and the organization. */
async function claudeSideLoads(ctx: VendorContext): Promise<Record<string, unknown[]>> {
  const day = daysAgo(3)
  const [activity, organization] = await Promise.all([
    orEmpty(
      ctx.sideLoads.get(`activity|${day}`, async () => {
        const rows: unknown[] = []
        let page: string | null = null
        for (let i = 0; i < 20; i++) {
          const query: Record<string, string | number> = { starting_at: day, limit: 1000 }
          if (page !== null) query.page = page
          const body = await ctx.vendor.call('GET', '/v1/organizations/usage_report/claude_code', query)
          rows.push(...(body.data ?? []))
          if (!body.has_more || !body.next_page || body.next_page === page) break
          page = String(body.next_page)
        }
        return rows
      }),
    ),
    orEmpty(ctx.sideLoads.get('organization', async () => [await ctx.vendor.call('GET', '/v1/organizations/me')])),
  ])
  return { activity, analytics: [], organization }
}

const noSideLoads = async () => ({})

/** Cursor: this cycle's spend (page/totalPages in the body) and the last 30 days' activity. */
async function cursorSideLoads(ctx: VendorContext): Promise<Record<string, unknown[]>> {
  // The end rounded down to the minute, as activity.body.jsonata does, so a minute shares one answer.
  const end = Math.floor(Date.now() / 60_000) * 60_000
  const [spend, activity] = await Promise.all([
    orEmpty(
      ctx.sideLoads.get('spend', async () => {
        const rows: unknown[] = []
        for (let page = 1; page <= 50; page++) {
          const body = await ctx.vendor.call('POST', '/teams/spend', undefined, { pageSize: 1000, page })
          rows.push(...(body.teamMemberSpend ?? []))
          if (!(page < Number(body.totalPages))) break
        }
        return rows
      }),
    ),
    orEmpty(
      ctx.sideLoads.get(`activity|${end}`, async () => {
        const body = await ctx.vendor.call('POST', '/teams/daily-usage-data', undefined, { startDate: end - 30 * 86_400_000, endDate: end })
        return body.data ?? []
      }),
    ),
  ])
  return { spend, activity }
}

/** Cursor's one unpaginated answer: only the members served are mapped. */
async function cursorMembers(ctx: VendorContext, _state: State, _pageSize: number, offset: number, need: number): Promise<ListPage> {
  const [body, sideload] = await Promise.all([ctx.vendor.call('GET', '/teams/members'), cursorSideLoads(ctx)])
  const members = ((Array.isArray(body) ? body : body.teamMembers) ?? []).filter(
    (m: unknown) => m !== null && typeof m === 'object' && !Array.isArray(m),
  )
  const records = cursorUsers({ response: members.slice(offset, offset + need), sideload } as never)
  return { records, more: members.length - offset > need, next: null }
}

/** Limitly: numbered pages (`page`, `limit`) of `data`; a page holds at most what was asked. */
async function limitlyPage(ctx: VendorContext, state: State, pageSize: number, offset: number, need: number): Promise<ListPage> {
  const page = typeof state === 'number' ? state : 1
  const body = await ctx.vendor.call('GET', '/users', { limit: pageSize, page })
  const rows = Array.isArray(body.data) ? body.data : []
  const records = limitlyUsers({ response: rows.length > pageSize ? { ...body, data: rows.slice(0, pageSize) } : body } as never)
  const next = rows.length >= pageSize ? page + 1 : null
  return { records: records.slice(offset, offset + need), more: records.length - offset > need, next }
}

/** Neon: the organization, the key owner (for a name) and the pending invitations. */
async function neonSideLoads(ctx: VendorContext): Promise<Record<string, unknown[]>> {
  const org = `/organizations/${encodeURIComponent(ctx.account.org_id)}`
  const one = (path: string) => orEmpty(ctx.sideLoads.get(path, async () => [await ctx.vendor.call('GET', path)]))
  const [organization, me, invitations] = await Promise.all([
    one(org),
    one('/users/me'),
    orEmpty(ctx.sideLoads.get(`${org}/invitations`, async () => (await ctx.vendor.call('GET', `${org}/invitations`)).invitations ?? [])),
  ])
  return { organization, me, invitations }
}

/** Neon's members by `cursor` (`pagination.next`), oldest first; a short page is the last. */
async function neonPage(ctx: VendorContext, state: State, pageSize: number, offset: number, need: number): Promise<ListPage> {
  const query: Record<string, string | number> = { sort_by: 'joined_at', sort_order: 'asc', limit: pageSize }
  if (state !== null) query.cursor = state
  const path = `/organizations/${encodeURIComponent(ctx.account.org_id)}/members`
  const [body, sideload] = await Promise.all([ctx.vendor.call('GET', path, query), neonSideLoads(ctx)])
  const count = Array.isArray(body.members) ? body.members.length : 0
  const cursor = body.pagination?.next
  const given = cursor === undefined || cursor === null || cursor === '' ? null : String(cursor)
  const next = (count > 0 ? count < pageSize : given !== null && given === state) ? null : given
  const records = neonUsers({ response: body, sideload, page: { last: next === null } } as never)
  return { records: records.slice(offset, offset + need), more: records.length - offset > need, next }
}

export const referenceVendors: Record<string, ReferenceVendor> = {
  claude: {
    maxPageSize: 1000,
    authHeaders: (c) => ({ 'x-api-key': c.api_key, 'anthropic-version': '2023-06-01' }),
    lists: [
      afterIdList('/v1/organizations/users', 'after_id', claudeUsers, claudeSideLoads),
      afterIdList('/v1/organizations/invites', 'after_id', claudeInvites, claudeSideLoads),
    ],
  },
  'openai-codex': {
    maxPageSize: 100,
    authHeaders: (c) => ({ authorization: `Bearer ${c.api_key}` }),
    lists: [
      afterIdList('/organization/users', 'after', openaiCodexUsers, noSideLoads),
      afterIdList('/organization/invites', 'after', openaiCodexInvites, noSideLoads),
    ],
  },
  cursor: {
    maxPageSize: 1000,
    authHeaders: (c) => ({ authorization: `Basic ${Buffer.from(`${c.api_key}:`).toString('base64')}` }),
    lists: [cursorMembers],
  },
  limitly: {
    maxPageSize: 100,
    authHeaders: (c) => ({ authorization: `Bearer ${c.api_key}` }),
    lists: [limitlyPage],
  },
  neon: {
    maxPageSize: 100,
    authHeaders: (c) => ({ authorization: `Bearer ${c.api_key}` }),
    lists: [neonPage],
  },
}
