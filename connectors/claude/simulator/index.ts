/**
 * Anthropic Admin API simulator (providers.md §1): organization, users, invites, workspaces and
 * the Claude Code, messages and cost reports, on a real loopback HTTP server. Paths are the vendor's own (`/v1/...`), so
 * `baseUrl` is the bare origin, as `https://api.anthropic.com` is for the connector.
 *
 * Variants (`options.variant`):
 * - `apiKey`: the admin key to accept (default `sk-ant-admin01-sandbox-unimeter`)
 * - `roles`: `console` (default) or `enterprise` role set
 * - `customerType`: `api` (default, `subscription_type: null`) or `subscription`
 * - `subscriptionType`: `enterprise` (default) or `team`, for subscription orgs
 * - `isRemote`: `mixed` (default), `always` or `never` (whether report rows carry `is_remote`)
 * - `domain`: email domain of the members (default `example.com`)
 * - `orgName`: organization name (default `Unimeter Sandbox`)
 * - `invites`: `some` (default: expired, accepted and three pending invites) or `none`
 * - `analyticsApiKey`: the Enterprise Analytics key `/v1/organizations/analytics/users` accepts
 *   (default `ANALYTICS_API_KEY`); the Admin key is refused there, as the real API does
 *
 * Run-time edits (the kit's `/__sim/records`, collection `users`): changed members are served
 * changed by the list and the get, removed ones are gone from both.
 */
import {
  startSimServer,
  type RunningSimulator,
  type SimHandler,
  type SimRequest,
  type SimResponse,
  type StartSimulator,
} from '../../../src/sandbox/simulator-kit'
import { invitesCollection, usersCollection } from './collections'
import { ClaudeWorld, type RoleSet } from './data'
import { anthropicVendor } from './errors'
import { idPage } from './id-pages'
import { BadRequest, parseLimit } from './params'
import { AnalyticsUsers, analyticsDay } from './analytics'
import { parseDay, encodePage, UsageReport, type IsRemoteMode } from './usage-report'
import { UsageCostReports } from './usage-cost'
import { ClaudeWorkspaces } from './workspaces'

export const DEFAULT_API_KEY = 'sk-ant-admin01-sandbox-unimeter'
/** A separate key, minted on claude.ai: the Admin key cannot read Enterprise Analytics. */
export const ANALYTICS_API_KEY = 'sk-ant-api01-analytics-sandbox-unimeter'
/** Versions Anthropic accepts in `anthropic-version`. */
const VERSIONS = new Set(['2023-06-01', '2023-01-01'])

function pick<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T): T {
  return value !== undefined && (allowed as readonly string[]).includes(value) ? (value as T) : fallback
}

export const startSimulator: StartSimulator = async (options = {}) => {
  const seed = options.seed ?? 42
  const variant = options.variant ?? {}
  const apiKey = variant.apiKey ?? DEFAULT_API_KEY
  const world = new ClaudeWorld({
    seed,
    users: options.users ?? 25,
    domain: variant.domain ?? 'example.com',
    roleSet: pick<RoleSet>(variant.roles, ['console', 'enterprise'], 'console'),
    orgName: variant.orgName ?? 'Unimeter Sandbox',
    invites: variant.invites !== 'none',
  })
  const report = new UsageReport(world, {
    customerType: pick(variant.customerType, ['api', 'subscription'] as const, 'api'),
    subscriptionType: pick(variant.subscriptionType, ['enterprise', 'team'] as const, 'enterprise'),
    isRemote: pick<IsRemoteMode>(variant.isRemote, ['mixed', 'always', 'never'], 'mixed'),
  })
  const analytics = new AnalyticsUsers(world)
  const workspaces = new ClaudeWorkspaces(seed)
  const usageCost = new UsageCostReports(seed, workspaces)
  const analyticsKey = variant.analyticsApiKey ?? ANALYTICS_API_KEY
  const vendor = anthropicVendor(seed)
  const fail = (status: number, message: string): SimResponse => ({ status, body: vendor.error(status, message) })

  /** Key first, then version, as the API checks them; validation errors become Anthropic 400s. */
  const guarded =
    (handler: SimHandler): SimHandler =>
    async (req: SimRequest) => {
      const key = req.headers['x-api-key']
      if (key === undefined || key === '') return fail(401, 'x-api-key header is required')
      if (key !== apiKey) return fail(401, 'invalid x-api-key')
      const version = req.headers['anthropic-version']
      if (version === undefined || version === '') return fail(400, 'anthropic-version: header is required')
      if (typeof version !== 'string' || !VERSIONS.has(version)) return fail(400, `anthropic-version: invalid version '${String(version)}'`)
      try {
        return await handler(req)
      } catch (err) {
        if (err instanceof BadRequest) return fail(400, err.message)
        throw err
      }
    }

  const notFound = (): SimResponse => fail(404, 'The requested resource could not be found.')

  const usageReport: SimHandler = (req) => {
    const day = parseDay(req.query.get('starting_at'))
    let limit = parseLimit(req.query, 20, 1000)
    const page = req.query.get('page')
    if (req.fault('empty-has-more')) {
      // An empty page that still promises more, with a cursor that resumes where this one began.
      const { start } = report.page(day, page, 0)
      return { body: { data: [], has_more: true, next_page: start ? encodePage(day, start) : null } }
    }
    if (req.fault('repeat-cursor')) {
      const { rows, start } = report.page(day, page, limit)
      return { body: { data: rows, has_more: true, next_page: start ? encodePage(day, start) : page } }
    }
    const oversized = req.fault('oversized-page')
    if (oversized) limit *= oversized.factor ?? 5
    const { rows, next } = report.page(day, page, limit)
    return { body: { data: rows, has_more: next !== undefined, next_page: next ? encodePage(day, next) : null } }
  }

  /** Analytics answers a missing, wrong or out-of-scope key with 404 (its documented behaviour). */
  const analyticsUsers: SimHandler = (req) => {
    if (req.headers['x-api-key'] !== analyticsKey)
      return fail(404, 'The API key is missing, invalid, or does not have the read:analytics scope.')
    try {
      const day = analyticsDay(req.query.get('date'))
      return { body: analytics.page(day, req.query.get('page'), parseLimit(req.query, 100, 1000)) }
    } catch (err) {
      if (err instanceof BadRequest) return fail(400, err.message)
      throw err
    }
  }

  const server = await startSimServer({
    seed,
    host: options.host,
    port: options.port,
    vendor,
    routes: [
      {
        method: 'GET',
        pattern: '/v1/organizations/me',
        handler: guarded(() => ({ body: { id: world.orgId, name: world.options.orgName, type: 'organization' } })),
      },
      {
        method: 'GET',
        pattern: '/v1/organizations/users',
        handler: guarded((req) => ({ body: idPage(req, usersCollection(world, req)) })),
      },
      {
        method: 'GET',
        pattern: '/v1/organizations/users/:user_id',
        handler: guarded((req) => {
          const index = world.users.indexOf(req.params.user_id)
          if (index === undefined || index >= world.userCount || req.records.isRemoved('users', req.params.user_id)) return notFound()
          return { body: req.records.patch('users', world.user(index)) }
        }),
      },
      { method: 'GET', pattern: '/v1/organizations/invites', handler: guarded((req) => ({ body: idPage(req, invitesCollection(world)) })) },
      {
        method: 'GET',
        pattern: '/v1/organizations/invites/:invite_id',
        handler: guarded((req) => {
          const index = world.invites.indexOf(req.params.invite_id)
          return index !== undefined && index < world.inviteCount ? { body: world.invite(index) } : notFound()
        }),
      },
      {
        method: 'GET',
        pattern: '/v1/organizations/workspaces',
        handler: guarded((req) => ({ body: idPage(req, workspaces.collection(req)) })),
      },
      {
        method: 'GET',
        pattern: '/v1/organizations/workspaces/:workspace_id',
        handler: guarded((req) => {
          const index = workspaces.ids.indexOf(req.params.workspace_id)
          return index !== undefined && index < workspaces.count ? { body: workspaces.item(index) } : notFound()
        }),
      },
      { method: 'GET', pattern: '/v1/organizations/usage_report/claude_code', handler: guarded(usageReport) },
      {
        method: 'GET',
        pattern: '/v1/organizations/usage_report/messages',
        handler: guarded((req) => ({ body: usageCost.messages(req.query) })),
      },
      { method: 'GET', pattern: '/v1/organizations/cost_report', handler: guarded((req) => ({ body: usageCost.cost(req.query) })) },
      { method: 'GET', pattern: '/v1/organizations/analytics/users', handler: analyticsUsers },
    ],
  })

  const running: RunningSimulator = { ...server, baseUrl: server.origin, credentials: { api_key: apiKey }, context: {} }
  return running
}
