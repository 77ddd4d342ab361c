/**
 * Cursor — the Cursor Admin API (team members, spend, daily usage), HTTP Basic with the admin
 * key as user name and an empty password.
 * https://cursor.com/docs/account/teams/admin-api
 * https://cursor.com/docs/api
 */
import type { ConnectorModule, SideLoadSpec } from '../../src/engine/connector-types'

/** Spend of the current billing cycle, for each member's limits. Ends when `page >= totalPages`. */
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
        pattern: '^key_',
        example: 'key_…',
        helpText: 'Created by a team admin under Settings → Advanced → Admin API Keys.',
      },
    ],
    auth: { type: 'basic', username: '{{credentials.api_key}}', password: '' },
    rateLimit: { retryAfterHeaders: ['retry-after'] },
    // Bodies are `{error: <status text>, message}`; some endpoints send only `{error}`.
    errors: { messagePaths: ['message', 'error'] },
    // The endpoint the connector lists from: proves the key and the team access at once.
    verification: { method: 'GET', path: '/teams/members' },
    resources: {
      'usage-metering/users': {
        list: {
          request: { method: 'GET', path: '/teams/members' },
          mappings: { response: 'user.jsonata' },
          // One unpaginated answer holds the whole team; the gateway slices it for `limit`.
          pagination: { type: 'none' },
          recordsPath: 'teamMembers',
          pageSize: { default: 1000, max: 1000 },
          sideLoads: { spend, activity },
        },
        // Cursor has no member-by-id endpoint.
        get: { via: 'list' },
      },
    },
  },
  simulator: async () => (await import('./simulator')).startSimulator,
}
