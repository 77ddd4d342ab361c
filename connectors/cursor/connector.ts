/**
 * Cursor — the Cursor Admin API (team members, spend, daily usage), HTTP Basic with the admin
 * key as user name and an empty password.
 * https://cursor.com/docs/account/teams/admin-api
 * https://cursor.com/docs/api
 */
import type { ConnectorModule, SideLoadSpec } from '../../src/engine/connector-types'

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
    },
  },
  simulator: async () => (await import('./simulator')).startSimulator,
}
