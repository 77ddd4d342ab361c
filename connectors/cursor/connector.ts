/**
 * Cursor — the Cursor Admin API (team members, spend, daily usage), HTTP Basic with the admin
 * key as user name and an empty password.
 * https://cursor.com/docs/account/teams/admin-api
 * https://cursor.com/docs/api
 */
import type { ConnectorModule, DateWindowSpec, SideLoadSpec } from '../../src/engine/connector-types'

/**
 * Spend of the current billing cycle, for each member's limits. Ends when `page >= totalPages`.
 * https://cursor.com/docs/account/teams/admin-api#get-spending-data
 */
const spend: SideLoadSpec = {
  request: { method: 'POST', path: '/teams/spend' },
  pagination: { type: 'page', pageParam: 'page', limitParam: 'pageSize', totalPagesPath: 'totalPages', in: 'body' },
  recordsPath: 'teamMemberSpend',
  // Large pages: the Admin API allows about 20 requests a minute per team.
  pageSize: 1000,
  maxPages: 50,
  // An outage of the spend report must not hide the members themselves.
  optional: true,
  // What user.jsonata joins on and reads for spend_limit.
  fields: ['email', 'userId', 'effectivePerUserLimitDollars', 'monthlyLimitDollars', 'hardLimitOverrideDollars'],
}

/**
 * Daily usage of the last 30 days (the longest range allowed) in the unpaginated form, which
 * holds only the active (member, day) rows: all last_active_at needs, in one call.
 * https://cursor.com/docs/account/teams/admin-api#get-daily-usage-data
 */
const activity: SideLoadSpec = {
  request: { method: 'POST', path: '/teams/daily-usage-data' },
  mappings: { body: 'activity.body.jsonata' },
  recordsPath: 'data',
  maxPages: 1,
  optional: true,
  // What user.jsonata joins on for last_active_at: the rows' usage counts are not read.
  fields: ['email', 'userId', 'date', 'isActive'],
}

/**
 * The usage reports take a period in epoch milliseconds, end included, of at most 30 days; the
 * default is the last week. Both report endpoints say so for daily usage; the usage events
 * endpoint is asked the same.
 */
const usageWindows: DateWindowSpec = {
  align: 'day',
  maxSpan: 30,
  defaultRange: { startDaysAgo: 7, endDaysAgo: 0 },
  send: { start: { param: 'startDate', format: 'epoch-ms' }, end: { param: 'endDate', format: 'epoch-ms', inclusive: true }, in: 'body' },
}

export const cursor: ConnectorModule = {
  definition: {
    id: 'cursor',
    label: 'Cursor',
    docsUrl: 'https://cursor.com/docs/account/teams/admin-api',
    baseUrl: 'https://api.cursor.com',
    credentials: [
      {
        name: 'api_key',
        label: 'Admin API key',
        secret: true,
        required: true,
        // The docs show `key_…`; Airbyte's spec says newer keys start with `crsr_`. Either is
        // accepted; anything else is stored with a warning, not refused.
        pattern: '^(key_|crsr_)',
        example: 'key_… or crsr_…',
        helpText: 'Created by a team admin under Settings → Advanced → Admin API Keys (key_… or crsr_…).',
      },
    ],
    auth: { type: 'basic', username: '{{credentials.api_key}}', password: '' },
    rateLimit: { retryAfterHeaders: ['retry-after'] },
    // Bodies are `{error: <status text>, message}`; some endpoints send only `{error}`.
    errors: { messagePaths: ['message', 'error'] },
    // The endpoint the connector lists from: proves the key and the team access at once.
    // https://cursor.com/docs/account/teams/admin-api#get-team-members
    verification: { method: 'GET', path: '/teams/members' },
    resources: {
      'usage-metering/users': {
        list: {
          // https://cursor.com/docs/account/teams/admin-api#get-team-members
          request: { method: 'GET', path: '/teams/members' },
          mappings: { response: 'user.jsonata' },
          // One unpaginated answer holds the whole team; the gateway slices it for `limit`. The
          // older docs page shows a bare array instead: the mapping reads both.
          pagination: { type: 'none' },
          recordsPath: 'teamMembers',
          // user.jsonata maps each member on its own: a page of 100 maps 100 members, not the team.
          recordWise: true,
          pageSize: { default: 1000, max: 1000 },
          sideLoads: { spend, activity },
        },
        // Cursor has no member-by-id endpoint; a member without an id is found by its email.
        get: { via: 'list' },
        fieldSources: {
          id: "GET /teams/members `id` as a string; the email when a member has no id (the docs' older shapes).",
          name: 'GET /teams/members `name`.',
          first_name: '`name` up to its first space.',
          last_name: '`name` after its first space; null for one-word names.',
          emails: 'GET /teams/members `email`, the primary (and only) address.',
          roles: 'GET /teams/members `role` (member, owner, free-owner…).',
          status: '`deleted` when GET /teams/members says `isRemoved: true`, otherwise `active`.',
          organization: 'Null: no Admin API endpoint names the team the key belongs to.',
          spend_limit:
            'POST /teams/spend row of the member (joined on email, case-insensitively): effectivePerUserLimitDollars, else monthlyLimitDollars, else hardLimitOverrideDollars (0 = none), in cents USD.',
          last_active_at:
            "The latest `date` of the member's active rows in POST /teams/daily-usage-data over the last 30 days (joined on email).",
          created_at: 'Null: Cursor reports no join date.',
          updated_at: 'Null: Cursor reports no change date.',
        },
      },
      'usage-metering/usage': {
        list: {
          // report_type=activity (default): one row per member and day, in the unpaginated form
          // (active rows only), 30 days per request.
          // https://cursor.com/docs/account/teams/admin-api#get-daily-usage-data
          request: { method: 'POST', path: '/teams/daily-usage-data' },
          mappings: { response: 'daily-usage.jsonata' },
          pagination: { type: 'none' },
          recordsPath: 'data',
          pageSize: { default: 100, max: 1000 },
          windows: usageWindows,
          supports: {},
          reports: {
            param: 'report_type',
            name: 'activity',
            others: {
              // report_type=usage: one row per request (model, tokens, cost), newest first, paged.
              // https://cursor.com/docs/account/teams/admin-api#get-usage-events-data
              usage: {
                request: { method: 'POST', path: '/teams/filtered-usage-events' },
                mappings: { response: 'usage-events.jsonata' },
                pagination: { type: 'page', pageParam: 'page', limitParam: 'pageSize', totalPagesPath: 'pagination.numPages', in: 'body' },
                recordsPath: 'usageEvents',
                pageSize: { default: 100, max: 500 },
                windows: usageWindows,
                supports: {},
              },
              // report_type=user_cost: each member's spend in the current billing cycle.
              // https://cursor.com/docs/account/teams/admin-api#get-spending-data
              user_cost: {
                request: { method: 'POST', path: '/teams/spend' },
                mappings: { response: 'spend.jsonata' },
                pagination: { type: 'page', pageParam: 'page', limitParam: 'pageSize', totalPagesPath: 'totalPages', in: 'body' },
                recordsPath: 'teamMemberSpend',
                pageSize: { default: 100, max: 1000 },
                supports: {},
              },
            },
          },
        },
        fieldSources: {
          id: 'Derived from the bucket and its dimensions: member email and day (activity), event time, email, model and tokens (usage), cycle start and email (user_cost).',
          product: 'Always Cursor.',
          metric_name: '`daily_usage` (activity), `usage_event` (usage), `cycle_spend` (user_cost).',
          resources: 'Null: Cursor reports usage per member, not per resource.',
          organization: 'Null: no Admin API endpoint names the team.',
          user: 'The member: `email` (all reports), `userId` where the report has it, `name` on spend rows.',
          model:
            'usage: the event `model`, with the provider read from its name (claude → anthropic, gpt → openai, gemini → google, grok → xai). Null on the other reports (daily usage names only a most-used model, kept in remote_data).',
          surface: 'Null: Cursor splits requests by kind (usage.requests), not by surface.',
          charges:
            'US cents, fractions kept. usage: `chargedCents` (model cost plus Cursor Token Fee), else `tokenUsage.totalCents` (older shape), typed usage_based or included from `kind`; user_cost: `spendCents` as total. Null on activity.',
          usage:
            'activity: requests by kind (chat, agent, composer, cmdk, tab, api_key, included, usage_based, bugbot), code (lines, accepts, rejects, applies), activity (is_active, client_version). usage: tokens (input, output, cache read/write), quantity = requestsCosts in request units, max_mode. user_cost: quantity = fastPremiumRequests.',
          start_date: "activity: the row's UTC day; usage: the event time; user_cost: `subscriptionCycleStart`.",
          end_date: 'activity: the next UTC day; usage: the event time; user_cost: null (the cycle is running).',
          created_at: 'usage: the event time; null otherwise.',
          updated_at: 'Null: Cursor reports no change time.',
        },
      },
    },
  },
  simulator: async () => (await import('./simulator')).startSimulator,
}
