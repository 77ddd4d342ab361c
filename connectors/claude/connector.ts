/**
 * Claude — the Anthropic Admin API (organization, users, invites and the Claude Code usage
 * report), read with an Admin API key.
 * https://platform.claude.com/docs/en/api/admin/users/list
 * https://platform.claude.com/docs/en/api/admin/invites/list
 * https://platform.claude.com/docs/en/api/admin-api/claude-code/get-claude-code-usage-report
 */
import { z } from '@hono/zod-openapi'
import type { ConnectorModule, ListMethodSpec, SideLoadSpec } from '../../src/engine/connector-types'
import { singleRecordResource } from '../../src/engine/single-record-list'

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

/**
 * Usage, report `activity` (the default): the Claude Code usage report, one UTC day per request
 * (`starting_at`, YYYY-MM-DD), so a period is walked one day at a time; rows are per actor ×
 * terminal. Without a period, three days ago (the report lags). Cursor `page` / `next_page`
 * with `has_more`; `limit` up to 1000. The endpoint takes no filters: other parameters are refused.
 * https://platform.claude.com/docs/en/api/admin-api/claude-code/get-claude-code-usage-report
 * https://platform.claude.com/docs/en/build-with-claude/claude-code-analytics-api
 */
const claudeCodeUsage: ListMethodSpec = {
  request: { method: 'GET', path: '/v1/organizations/usage_report/claude_code' },
  mappings: { response: 'claude-code.jsonata' },
  pagination: { type: 'cursor', cursorParam: 'page', nextCursorPath: 'next_page', hasMorePath: 'has_more', limitParam: 'limit' },
  recordsPath: 'data',
  pageSize: { default: 100, max: 1000 },
  windows: {
    align: 'day',
    maxSpan: 1,
    defaultRange: { startDaysAgo: 3, endDaysAgo: 2 },
    send: { start: { param: 'starting_at', format: 'date' } },
  },
  supports: {},
  reports: { param: 'report_type', name: 'activity', others: {} },
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
      'usage-metering/usage': {
        list: claudeCodeUsage,
        fieldSources: {
          id: 'Derived ($stableId) from the Claude Code report row: `date`, actor (email or API key name), `terminal_type` and `is_remote`.',
          product: 'Always `claude_code` / Claude Code.',
          metric_name: 'Always `claude_code_usage`.',
          resources: 'For an `api_actor`: its `api_key_name` as id and name; null for people.',
          organization: 'Row `organization_id` (no name in the report).',
          user: 'For a `user_actor`: `actor.email_address` (the report gives no user id or name); null for API keys.',
          model: 'The row’s model (`provider` anthropic) when `model_breakdown` has exactly one; null when the row spans several.',
          surface: 'Always `claude_code`.',
          charges:
            'One `total`: the sum of `model_breakdown[].estimated_cost.amount` (cents, already minor units) in its `currency`; null when the row has no cost or mixes currencies.',
          usage:
            '`tokens` summed over `model_breakdown[].tokens` (input, output, cache_read, cache_creation); `sessions.distinct` ← `core_metrics.num_sessions`; `code` ← `lines_of_code.added/removed`, `commits_by_claude_code`, `pull_requests_by_claude_code`, accepted/rejected summed over `tool_actions` (kept per tool in `tool_actions`); `activity.is_active` true (the report lists active actors only).',
          start_date: 'Row `date` (the UTC day).',
          end_date: 'Row `date` plus one day (exclusive).',
          created_at: 'Not given by the report.',
          updated_at: 'Not given by the report (recent days are restated without notice).',
          remote_data: 'The report row as received.',
        },
      },
      'usage-metering/organizations': {
        // The organization the Admin key belongs to: one record.
        // https://platform.claude.com/docs/en/api/admin/organizations/me
        // Only the key's own organization can be read, so a get is that record or 404.
        ...singleRecordResource({ method: 'GET', path: '/v1/organizations/me' }, 'organization.jsonata'),
        fieldSources: {
          id: '`id` of GET /v1/organizations/me (a uuid).',
          name: '`name` of GET /v1/organizations/me.',
          created_at: 'Null: the Admin API gives no creation time for the organization.',
          updated_at: 'Null: the Admin API has no modification time.',
          remote_data: 'The organization object as received.',
        },
      },
      'usage-metering/workspaces': {
        list: {
          // Archived workspaces too: their keys' usage stays in the reports.
          // https://platform.claude.com/docs/en/api/admin/workspaces/list
          request: { method: 'GET', path: '/v1/organizations/workspaces', query: { include_archived: 'true' } },
          mappings: { response: 'workspace.jsonata' },
          pagination: { type: 'cursor', cursorParam: 'after_id', nextCursorPath: 'last_id', hasMorePath: 'has_more', limitParam: 'limit' },
          recordsPath: 'data',
          pageSize: { default: 100, max: 1000 },
          sideLoads: { organization },
        },
        get: {
          // https://platform.claude.com/docs/en/api/admin/workspaces/retrieve
          request: { method: 'GET', path: '/v1/organizations/workspaces/{{id}}' },
          mappings: { response: 'workspace.jsonata' },
          sideLoads: { organization },
        },
        fieldSources: {
          id: 'Workspace `id` (`wrkspc_…`) from /v1/organizations/workspaces.',
          name: 'Workspace `name`.',
          organization: "`id` of GET /v1/organizations/me: every workspace belongs to the key's organization.",
          created_at: 'Workspace `created_at`.',
          updated_at: 'Null: the Admin API has no modification time (`archived_at`, when set, is in remote_data).',
          remote_data: 'The workspace object as received (archived workspaces are listed too, with `archived_at` set).',
        },
      },
    },
  },
  simulator: async () => (await import('./simulator')).startSimulator,
}
