/**
 * Claude — the Anthropic Admin API (organization, users, invites, the Claude Code usage report,
 * the messages usage report and the cost report), read with an Admin API key.
 * https://platform.claude.com/docs/en/api/admin/users/list
 * https://platform.claude.com/docs/en/api/admin/invites/list
 * https://platform.claude.com/docs/en/api/admin-api/claude-code/get-claude-code-usage-report
 */
import { z } from '@hono/zod-openapi'
import type { ConnectorModule, DateWindowSpec, ListMethodSpec, SideLoadSpec } from '../../src/engine/connector-types'
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
  // What user.jsonata joins on: its rows are mostly metrics, a few KB each, cached 30 s.
  fields: ['actor.type', 'actor.email_address', 'date'],
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
  // What user.jsonata reads: the email and the counts that make a user active that day.
  fields: [
    'user.email_address',
    'chat_metrics.message_count',
    'claude_code_metrics.core_metrics.distinct_session_count',
    'cowork_metrics.message_count',
    'cowork_metrics.action_count',
    'design_metrics.message_count',
    'office_metrics.excel.message_count',
    'office_metrics.outlook.message_count',
    'office_metrics.powerpoint.message_count',
    'office_metrics.word.message_count',
  ],
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
 * Usage and cost reports take RFC 3339 bounds (`starting_at` inclusive, `ending_at` exclusive)
 * and page by time buckets (`page` / `next_page` with `has_more`). A window of 31 days is the
 * most day buckets one page holds; finer buckets page inside it. Default: the last 7 days.
 */
const adminReportWindows: DateWindowSpec = {
  align: 'day',
  maxSpan: 31,
  defaultRange: { startDaysAgo: 7, endDaysAgo: 0 },
  send: { start: { param: 'starting_at', format: 'date-time' }, end: { param: 'ending_at', format: 'date-time' } },
}

/** The messages usage and cost reports page, size and window alike; `name` is their mapping pair. */
function adminReport(path: string, name: string, supports: ListMethodSpec['supports']): ListMethodSpec {
  return {
    request: { method: 'GET', path },
    mappings: { response: `${name}.jsonata`, query: `${name}.query.jsonata` },
    pagination: { type: 'cursor', cursorParam: 'page', nextCursorPath: 'next_page', hasMorePath: 'has_more', limitParam: 'limit' },
    recordsPath: 'data',
    pageSize: { default: 7, max: 31 },
    windows: adminReportWindows,
    supports,
  }
}

/**
 * Usage, report `usage` (the default with a period): tokens per time bucket of the Messages API,
 * split by model, workspace and API key as `group_by` asks (default: all three). `limit` counts
 * buckets: for `1d` 7 by default, at most 31 (`1h`: 24/168, `1m`: 60/1440), so 31 is safe for every width.
 * https://platform.claude.com/docs/en/api/admin/usage_report/retrieve_messages
 * https://platform.claude.com/docs/en/api/admin-api/usage-cost/get-messages-usage-report
 */
const messagesUsage = adminReport('/v1/organizations/usage_report/messages', 'messages', {
  bucket_width: ['day', 'hour', 'minute'],
  group_by: ['model', 'workspace', 'api_key'],
  model_ids: true,
})

/**
 * Usage, report `cost`: cost per day in cents as a decimal string, by workspace and by
 * description (model, cost type, token type) as `group_by` asks (default: both). Day buckets only;
 * `limit` 1–31 buckets.
 * https://platform.claude.com/docs/en/api/admin/cost_report
 * https://platform.claude.com/docs/en/api/admin-api/usage-cost/get-cost-report
 */
const costReport = adminReport('/v1/organizations/cost_report', 'cost', {
  bucket_width: ['day'],
  group_by: ['workspace', 'model', 'token_type', 'charge_type'],
})

/**
 * Usage, report `activity` (the default without a period): the Claude Code usage report, one UTC day per request
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
  reports: {
    param: 'report_type',
    name: 'activity',
    // Truto's rule: a period asks for the token report, no period for Claude Code activity.
    defaultWhenGiven: { params: ['start_date', 'end_date'], report: 'usage' },
    others: { usage: messagesUsage, cost: costReport },
  },
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
          id: 'Derived ($stableId) from the bucket and its dimensions. activity: `date`, actor (email or API key name), `terminal_type`, `is_remote`; usage: bucket bounds, the group_by set, workspace, API key, model, service tier, context window; cost: bucket bounds, the group_by set, workspace, description, model, cost and token type.',
          product: 'activity: `claude_code` / Claude Code; usage and cost: `claude_api` / Claude API.',
          metric_name: '`claude_code_usage` (activity), `messages_usage` (usage), `cost` (cost).',
          resources:
            'activity: for an `api_actor`, its `api_key_name` as id and name. usage: the `api_key_id` with its `workspace_id`, else the workspace alone, when grouped by them. cost: the `workspace_id` when grouped by workspace. Null otherwise (a null workspace_id is also the default workspace).',
          organization: 'activity: row `organization_id` (no name in the report); null on usage and cost (their rows name none).',
          user: 'activity: for a `user_actor`, `actor.email_address` (the report gives no user id or name); null for API keys and on usage and cost (no per-person split).',
          model:
            'activity: the row’s model (`provider` anthropic) when `model_breakdown` has exactly one. usage: `model` when grouped by model; cost: `model` when grouped by description. Null otherwise.',
          surface: '`claude_code` (activity), `api` (usage and cost).',
          charges:
            'activity: one `total`, the sum of `model_breakdown[].estimated_cost.amount` (cents) in its `currency`, null when none or mixed. cost: one `total`, `amount` (a decimal string in cents, "123.45" = $1.2345) read exactly, in `currency`. Null on usage.',
          usage:
            'activity: `tokens` summed over `model_breakdown[].tokens`; `sessions.distinct` ← `core_metrics.num_sessions`; `code` ← lines, commits, pull requests, accepted/rejected over `tool_actions`; `activity.is_active` true. usage: `tokens.input` ← `uncached_input_tokens`, `output` ← `output_tokens`, `cache_read` ← `cache_read_input_tokens`, `cache_creation` ← `cache_creation.ephemeral_5m_input_tokens` + `ephemeral_1h_input_tokens` (per TTL and `server_tool_use` in remote_data). Null on cost.',
          start_date: 'activity: row `date` (the UTC day); usage and cost: the bucket `starting_at`.',
          end_date: 'activity: row `date` plus one day (exclusive); usage and cost: the bucket `ending_at` (exclusive).',
          created_at: 'Not given by the reports.',
          updated_at: 'Not given by the reports (recent buckets are restated without notice).',
          remote_data: 'activity: the report row as received; usage and cost: the bucket result with its `starting_at` and `ending_at`.',
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
