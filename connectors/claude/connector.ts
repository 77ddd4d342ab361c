/**
 * Claude — the Anthropic Admin API (organization, users, invites and the Claude Code usage
 * report), read with an Admin API key.
 * https://platform.claude.com/docs/en/api/admin/users/list
 * https://platform.claude.com/docs/en/api/admin/invites/list
 * https://platform.claude.com/docs/en/api/admin-api/claude-code/get-claude-code-usage-report
 */
import { z } from '@hono/zod-openapi'
import type { ConnectorModule, SideLoadSpec } from '../../src/engine/connector-types'

/**
 * Per-user Claude Code activity of one UTC day (`date`, default three days ago), joined on email.
 * https://platform.claude.com/docs/en/api/admin-api/claude-code/get-claude-code-usage-report
 */
const activity: SideLoadSpec = {
  request: { method: 'GET', path: '/v1/organizations/usage_report/claude_code' },
  mappings: { query: 'activity.query.jsonata' },
  pagination: { type: 'cursor', cursorParam: 'page', nextCursorPath: 'next_page', hasMorePath: 'has_more', limitParam: 'limit' },
  recordsPath: 'data',
  pageSize: 1000,
  maxPages: 20,
  // With an Analytics API key, the analytics users endpoint (which covers Claude Code too) replaces it.
  unlessSet: ['analytics_api_key'],
}

/**
 * Claude Enterprise Analytics: per-user engagement of one UTC day (`date`, default three days
 * ago: the API refuses days less than three days old), one row per user, sorted by email. Only
 * for accounts with an Analytics API key (minted on claude.ai, not the Admin key), sent in its
 * own `x-api-key`. Cursor `page` / `next_page` (null on the last page); `limit` 1–1000.
 * https://platform.claude.com/docs/en/api/admin/analytics/users/list
 * https://platform.claude.com/docs/en/manage-claude/analytics-api
 * https://support.claude.com/en/articles/13703965-claude-enterprise-analytics-api-reference-guide
 */
const analytics: SideLoadSpec = {
  request: {
    method: 'GET',
    path: '/v1/organizations/analytics/users',
    auth: { type: 'headers', headers: { 'x-api-key': '{{credentials.analytics_api_key}}' } },
  },
  mappings: { query: 'analytics.query.jsonata' },
  pagination: { type: 'cursor', cursorParam: 'page', nextCursorPath: 'next_page', limitParam: 'limit' },
  recordsPath: 'data',
  pageSize: 1000,
  maxPages: 20,
  whenSet: ['analytics_api_key'],
  // Its refusal (a day under three days old, a revoked key) fails the list with the API's own
  // message: silently null activity for everyone would read as "nobody was active".
  optional: false,
}

/**
 * The organization every user belongs to.
 * https://platform.claude.com/docs/en/api/admin-api/organization/get-me
 */
const organization: SideLoadSpec = {
  request: { method: 'GET', path: '/v1/organizations/me' },
  recordsPath: '',
  maxPages: 1,
}

export const claude: ConnectorModule = {
  definition: {
    id: 'claude',
    label: 'Claude',
    docsUrl: 'https://platform.claude.com/docs/en/api/admin/users/list',
    baseUrl: 'https://api.anthropic.com',
    credentials: [
      {
        name: 'api_key',
        label: 'Admin API key',
        secret: true,
        required: true,
        pattern: '^sk-ant-',
        example: 'sk-ant-admin01-…',
        helpText: 'An Admin API key (sk-ant-admin…); workspace keys cannot read organization users.',
      },
      {
        name: 'analytics_api_key',
        label: 'Analytics API key (Claude Enterprise, optional)',
        secret: true,
        required: false,
        helpText:
          'Optional. A Claude Enterprise Analytics API key with the read:analytics scope, minted by a Primary Owner at claude.ai/analytics/api-keys (not the Admin key). With it, last_active_at counts activity in Claude chat, Claude Code, Cowork, Design and Office, not Claude Code alone.',
      },
    ],
    auth: { type: 'headers', headers: { 'x-api-key': '{{credentials.api_key}}' } },
    headers: { 'anthropic-version': '2023-06-01' },
    rateLimit: {
      limitHeader: 'anthropic-ratelimit-requests-limit',
      remainingHeader: 'anthropic-ratelimit-requests-remaining',
      resetHeader: 'anthropic-ratelimit-requests-reset',
      resetFormat: 'rfc3339',
      retryAfterHeaders: ['retry-after-ms', 'retry-after'],
    },
    errors: { messagePaths: ['error.message', 'message'], codePaths: ['error.type'] },
    verification: { method: 'GET', path: '/v1/organizations/me' },
    fieldVerifications: [
      {
        // One row of the latest finalized day: the API answers a missing, wrong or out-of-scope key 404.
        // https://platform.claude.com/docs/en/api/admin/analytics/users/list
        // https://support.claude.com/en/articles/13703965-claude-enterprise-analytics-api-reference-guide
        field: 'analytics_api_key',
        request: { ...analytics.request, query: { limit: '1' } },
        queryMapping: 'usage-metering/users/claude/analytics.query.jsonata',
      },
    ],
    resources: {
      'usage-metering/users': {
        listParams: z.object({
          date: z
            .string()
            .regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD')
            .optional()
            .openapi({
              description:
                'Claude only: the single UTC day (YYYY-MM-DD) whose Claude Code usage report gives last_active_at (a user without Claude Code activity that day gets null). Defaults to three days ago, as the report lags. Other vendors ignore it.',
              example: '2026-11-19',
            }),
        }),
        list: {
          // https://platform.claude.com/docs/en/api/admin/users/list
          request: { method: 'GET', path: '/v1/organizations/users' },
          mappings: { response: 'user.jsonata' },
          pagination: { type: 'cursor', cursorParam: 'after_id', nextCursorPath: 'last_id', hasMorePath: 'has_more', limitParam: 'limit' },
          recordsPath: 'data',
          pageSize: { default: 100, max: 1000 },
          sideLoads: { activity, analytics, organization },
          then: [
            {
              // Pending invites after the members, same pagination (limit 1–1000).
              // https://platform.claude.com/docs/en/api/admin/invites/list
              request: { method: 'GET', path: '/v1/organizations/invites' },
              mappings: { response: 'invite.jsonata' },
              pagination: {
                type: 'cursor',
                cursorParam: 'after_id',
                nextCursorPath: 'last_id',
                hasMorePath: 'has_more',
                limitParam: 'limit',
              },
              recordsPath: 'data',
            },
          ],
        },
        get: {
          // https://platform.claude.com/docs/en/api/admin/users/retrieve
          request: { method: 'GET', path: '/v1/organizations/users/{{id}}' },
          mappings: { response: 'user.jsonata' },
          sideLoads: { activity, analytics, organization },
          byIdPattern: [
            {
              // Invite ids (`invite_…`), as the list gives them.
              // https://platform.claude.com/docs/en/api/admin/invites/retrieve
              idPattern: '^invite_',
              request: { method: 'GET', path: '/v1/organizations/invites/{{id}}' },
              mappings: { response: 'invite.jsonata' },
              sideLoads: { organization },
            },
          ],
        },
        fieldSources: {
          id: 'User `id` (`user_…`) from /v1/organizations/users; for a pending invite, the invite `id` (`invite_…`) from /v1/organizations/invites, which a get answers too.',
          first_name: "The first word of the user's `name`; null for invites (they carry no name).",
          last_name: "The rest of the user's `name` after the first word; null for invites.",
          name: 'User `name`; null for invites.',
          emails: 'User or invite `email`, as the one primary address.',
          roles: 'User or invite `role` (e.g. `user`, `developer`, `admin`), as id and name.',
          status:
            '`active` for every member (the Admin API has no disabled state); `invited` for invites whose `status` is `pending` (accepted, expired and deleted invites are not listed).',
          organization: '`id` and `name` from /v1/organizations/me.',
          last_active_at:
            "With the optional `analytics_api_key`: the `date` query parameter (default three days ago in UTC; the Enterprise Analytics API refuses newer days, and the list then fails with its 400) when /v1/organizations/analytics/users has a row for the user's email (case-insensitive) with activity that day: `chat_metrics.message_count`, `claude_code_metrics.core_metrics.distinct_session_count`, `cowork_metrics.message_count` or `.action_count`, `design_metrics.message_count` or an `office_metrics.<product>.message_count` above zero; null otherwise and for invites. Without that key: the Claude Code usage report (/v1/organizations/usage_report/claude_code, `starting_at` = the `date` query parameter, default three days ago in UTC) for that single day: its row `date` where `actor.email_address` equals the user's email. Null when the user has no Claude Code activity that day, and for invites; activity outside Claude Code and on other days is not seen.",
          created_at: 'User `added_at` (joined the organization); invite `invited_at`.',
          updated_at: 'Always null: the Admin API has no modification time.',
          spend_limit: 'Not filled: the Admin API has no per-user spend limit.',
          remote_data: "The vendor's user or invite object as received.",
        },
      },
    },
  },
  simulator: async () => (await import('./simulator')).startSimulator,
}
