/**
 * OpenAI Codex — the OpenAI Admin API (organization users and invites), read with an Admin API key.
 * https://platform.openai.com/docs/api-reference/users/list
 * https://platform.openai.com/docs/api-reference/invite/list
 * https://developers.openai.com/api/docs/guides/admin-apis
 */
import type { ConnectorModule, DateWindowSpec, ListMethodSpec, SideLoadSpec } from '../../src/engine/connector-types'
import { singleRecordResource } from '../../src/engine/single-record-list'

/** `after` takes the last object id seen; `has_more` says whether to go on (users and invites alike). */
const afterLastId = {
  type: 'cursor',
  cursorParam: 'after',
  nextCursorPath: 'last_id',
  hasMorePath: 'has_more',
  limitParam: 'limit',
} as const

/**
 * The organization the Admin key is bound to, for the workspaces' `organization`. Optional: a
 * key without organization.read still lists its projects.
 * https://developers.openai.com/api/reference/resources/admin/subresources/organization/methods/retrieve
 */
const organization: SideLoadSpec = { request: { method: 'GET', path: '/organization' }, recordsPath: '', maxPages: 1 }

/**
 * The organization's users, for the email and name of usage rows grouped by user (the report
 * gives only `user_id`). Optional: without it the rows keep their user id alone.
 * https://platform.openai.com/docs/api-reference/users/list
 */
const members: SideLoadSpec = {
  request: { method: 'GET', path: '/organization/users' },
  pagination: afterLastId,
  recordsPath: 'data',
  pageSize: 100,
  maxPages: 50,
}

/** The next bucket page: `page` takes the previous answer's `next_page`, while `has_more`. */
const nextPage = { type: 'cursor', cursorParam: 'page', nextCursorPath: 'next_page', hasMorePath: 'has_more', limitParam: 'limit' } as const

/**
 * Usage and costs are asked for by `start_time`/`end_time` (unix seconds, end exclusive). Without a
 * period: yesterday (UTC), as Truto documents for OpenAI Codex; `date` gives one day, and so does
 * `start_date` alone (Truto treats it as `date`), while with `end_date` it starts a range. Windows of
 * whole days, at most `days` long (the most daily buckets one page may hold); the buckets inside a
 * window are paged with `next_page`.
 */
const bucketWindows = (days: number): DateWindowSpec => ({
  align: 'day',
  maxSpan: days,
  defaultRange: { startDaysAgo: 1, endDaysAgo: 0 },
  startAloneIsDay: true,
  send: { start: { param: 'start_time', format: 'epoch-s' }, end: { param: 'end_time', format: 'epoch-s' } },
})

/**
 * A bucketed report: `data` holds time buckets, paged with `next_page`, asked for in windows of
 * at most `maxBuckets` daily buckets (the most one page may hold). Mappings `<name>.jsonata`
 * and `<name>.query.jsonata`.
 */
const bucketReport = (path: string, name: string, maxBuckets: number) => ({
  request: { method: 'GET', path } as const,
  mappings: { response: `${name}.jsonata`, query: `${name}.query.jsonata` },
  pagination: nextPage,
  recordsPath: 'data',
  pageSize: { default: 7, max: maxBuckets },
  windows: bucketWindows(maxBuckets),
})

/**
 * report_type=cost: the organization's costs in daily buckets (only `1d` exists), by project and
 * line item; `limit` 1–180 buckets.
 * https://platform.openai.com/docs/api-reference/usage/costs
 */
const costs: Omit<ListMethodSpec, 'reports'> = {
  ...bucketReport('/organization/costs', 'costs', 180),
  supports: { group_by: ['workspace'], bucket_width: ['day'] },
}

/**
 * report_type=activity: the Codex Analytics API of a ChatGPT Enterprise workspace, one row per
 * user per UTC day (threads, turns, credits, per-client use, tokens). Another host
 * (api.chatgpt.com) and another key: a Platform API key OpenAI support scopes to
 * `codex.enterprise.analytics.read`, with the workspace id in the path; `group_by=day` buckets,
 * `start_time` inclusive / `end_time` exclusive in unix seconds, at most 90 days back, pages
 * continued with `page` ← `next_page` while `has_more`. The guide gives no page-size bound: 100,
 * the size integrations are seen to ask for, is the most asked. Without a period: yesterday, as
 * the other reports; a period of up to 90 days is one request window.
 * https://developers.openai.com/codex/enterprise/governance#analytics-api
 * https://developers.openai.com/docs/enterprise/analytics-api
 */
const codexActivity: Omit<ListMethodSpec, 'reports'> = {
  request: {
    method: 'GET',
    path: '/workspaces/{{context.workspace_id}}/usage',
    baseUrl: 'analytics',
    auth: { type: 'bearer', credential: 'analytics_api_key' },
    query: { group_by: 'day' },
  },
  mappings: { response: 'codex-analytics.jsonata' },
  pagination: nextPage,
  recordsPath: 'data',
  pageSize: { default: 100, max: 100 },
  windows: { ...bucketWindows(90), maxRangeDays: 90 },
  requires: {
    fields: ['analytics_api_key', 'workspace_id'],
    message:
      'report_type=activity reads the Codex Analytics API, which needs context.analytics_api_key (a Platform API key that OpenAI support scopes to codex.enterprise.analytics.read) and context.workspace_id (ChatGPT Admin console → Workspace details); add both with PATCH /integrated-account/{id}',
  },
  supports: { bucket_width: ['day'] },
}

/**
 * report_type=usage (the default): completions token usage in buckets of 1d (default), 1h or 1m,
 * grouped by user and model unless group_by says otherwise. `limit` counts buckets: at most 31
 * (1d), 168 (1h) or 1440 (1m), so the page size stays within 31 for every width.
 * https://platform.openai.com/docs/api-reference/usage/completions
 */
const completionsUsage: ListMethodSpec = {
  ...bucketReport('/organization/usage/completions', 'completions', 31),
  sideLoads: { members },
  supports: {
    group_by: ['user', 'model', 'workspace', 'api_key'],
    bucket_width: ['day', 'hour', 'minute'],
    user_ids: true,
    model_ids: true,
  },
  reports: { param: 'report_type', name: 'usage', others: { cost: costs, activity: codexActivity } },
}

export const openaiCodex: ConnectorModule = {
  definition: {
    id: 'openai-codex',
    label: 'OpenAI Codex',
    docsUrl: 'https://platform.openai.com/docs/api-reference/users/list',
    baseUrl: 'https://api.openai.com/v1',
    // The Codex Analytics API (report_type=activity) lives on ChatGPT's API host.
    // https://developers.openai.com/codex/enterprise/governance#analytics-api
    otherBaseUrls: { analytics: 'https://api.chatgpt.com/v1/analytics/codex' },
    credentials: [
      {
        name: 'api_key',
        label: 'Admin API key',
        secret: true,
        required: true,
        pattern: '^sk-',
        example: 'sk-admin-…',
        helpText: 'An organization Admin API key (sk-admin-…); project keys cannot read organization users.',
      },
      {
        name: 'analytics_api_key',
        label: 'Codex Analytics API key (ChatGPT Enterprise, optional)',
        secret: true,
        required: false,
        pattern: '^sk-',
        example: 'sk-proj-…',
        helpText:
          'Optional, with workspace_id. A Platform API key (read only) that OpenAI support has scoped to codex.enterprise.analytics.read; with it, report_type=activity gives per-user daily Codex use (threads, turns, credits, clients, tokens).',
      },
    ],
    contextFields: [
      {
        name: 'workspace_id',
        label: 'ChatGPT workspace ID (optional, for the Codex Analytics API)',
        secret: false,
        required: false,
        helpText: 'ChatGPT Admin console → Workspace details. Needed with analytics_api_key for report_type=activity.',
      },
    ],
    auth: { type: 'bearer', credential: 'api_key' },
    // Admin endpoints document only Retry-After on 429 (x-ratelimit-* belong to inference).
    rateLimit: { retryAfterHeaders: ['retry-after'] },
    errors: { messagePaths: ['error.message'], codePaths: ['error.code', 'error.type'] },
    verification: { method: 'GET', path: '/organization/users', query: { limit: '1' } },
    resources: {
      'usage-metering/users': {
        list: {
          // https://platform.openai.com/docs/api-reference/users/list
          request: { method: 'GET', path: '/organization/users' },
          mappings: { response: 'user.jsonata' },
          pagination: afterLastId,
          recordsPath: 'data',
          pageSize: { default: 100, max: 100 },
          then: [
            {
              // Pending invites after the members (limit 1–100).
              // https://platform.openai.com/docs/api-reference/invite/list
              request: { method: 'GET', path: '/organization/invites' },
              mappings: { response: 'invite.jsonata' },
              pagination: afterLastId,
              recordsPath: 'data',
            },
          ],
        },
        get: {
          // https://platform.openai.com/docs/api-reference/users/retrieve
          request: { method: 'GET', path: '/organization/users/{{id}}' },
          mappings: { response: 'user.jsonata' },
          byIdPattern: [
            {
              // Invite ids (`invite-…`), as the list gives them.
              // https://platform.openai.com/docs/api-reference/invite/retrieve
              idPattern: '^invite-',
              request: { method: 'GET', path: '/organization/invites/{{id}}' },
              mappings: { response: 'invite.jsonata' },
            },
          ],
        },
        fieldSources: {
          id: 'User `id` from /organization/users; for a pending invite, the invite `id` (`invite-…`) from /organization/invites, which a get answers too.',
          first_name: "The first word of the user's `name`; null for invites (they carry no name).",
          last_name: "The rest of the user's `name` after the first word; null for invites.",
          name: 'User `name`; null for invites.',
          emails: 'User or invite `email`, as the one primary address.',
          roles: 'User or invite `role` (`owner` or `reader`), as id and name.',
          status:
            '`inactive` when the nested `user` says `enabled: false` or `banned: true`, otherwise `active`; `invited` for invites whose `status` is `pending` (accepted and expired invites are not listed).',
          organization: 'Not filled: the Admin API has no endpoint describing the organization.',
          last_active_at:
            "Always null. The only per-user time the Admin API has, `api_key_last_used_at`, is the last use of the user's platform API keys, not Codex use (kept in remote_data); Codex activity lives in the ChatGPT workspace analytics API (api.chatgpt.com), which needs a separately scoped workspace key.",
          created_at: 'User `added_at` (unix seconds); invite `created_at` (current spec) or `invited_at` (older spec).',
          updated_at: 'Always null: the Admin API has no modification time.',
          spend_limit: 'Not filled: the Admin API only has organization- and project-level spend limits.',
          remote_data: "The vendor's user or invite object as received.",
        },
      },
      'usage-metering/usage': {
        list: completionsUsage,
        fieldSources: {
          id: 'Derived ($stableId) from the bucket `start_time`/`end_time` and the grouped fields (user, model, project, API key, batch, service tier; for costs project and line item; for activity the user id, else email).',
          product:
            'usage and cost: always `openai_api` / OpenAI API (the Admin usage and costs APIs cover all API use of the organization, Codex through the API included); activity: `codex` / OpenAI Codex.',
          metric_name:
            '`completions_tokens` for usage; for costs the result `line_item` (e.g. `gpt-4o, input`), else `cost`; `codex_usage` for activity.',
          resources:
            'The result `api_key_id` (usage grouped by api_key), else `project_id`, with the project as `workspace`; null when not grouped by either. activity: the ChatGPT workspace (`context.workspace_id`).',
          organization: 'Not filled: the reports carry no organization id.',
          user: 'Usage grouped by user: the result `user_id` as id, with `email` and `name` from /organization/users (the report gives neither; a user no longer listed keeps the id alone); null for costs and ungrouped usage. activity: the row `user` (`id`, `email`, `name`), or flat `user_id`/`user_email` (email only where the workspace allows it).',
          model: 'Usage grouped by model: the result `model` as id, provider `openai`; activity: the row `model` when it has one.',
          surface:
            '`api` for usage and cost. activity: the row’s one client, lower-cased (`codex_cli`, `codex_ide_extension`, `codex_cloud`, `codex_desktop_app`, `codex_code_review`…); null for a row spread over several clients (the per-client counts stay in remote_data).',
          charges:
            'Costs only: one `total`, `amount.value` (dollars, a number or a decimal string) moved to cents without float drift, in `amount.currency` upper-cased; null without a currency. Null for activity: Codex credits are not money.',
          usage:
            'usage: `tokens.input` ← `input_tokens` − `input_cached_tokens` (uncached), `tokens.output` ← `output_tokens`, `tokens.cache_read` ← `input_cached_tokens`, `requests.total` ← `num_model_requests`; audio tokens are in remote_data. Null for costs. activity: `quantity` ← `credits` (unit `credits`), `sessions.distinct` ← `threads`, `requests.total` ← `turns`, `tokens.input` ← text input − cached input, `tokens.cache_read` ← cached input, `tokens.output` ← output, `activity.is_active` ← any thread or turn.',
          start_date: 'Bucket `start_time` (activity: the UTC day).',
          end_date: 'Bucket `end_time` (exclusive).',
          created_at: 'Not given by the reports.',
          updated_at: 'Not given by the reports (recent buckets may be restated).',
          remote_data: 'The bucket result (activity: the report row) as received.',
        },
      },
      'usage-metering/organizations': {
        // The organization the Admin key is bound to (needs the organization.read permission): one record.
        // https://developers.openai.com/api/reference/resources/admin/subresources/organization/methods/retrieve
        // Only the key's own organization can be read, so a get is that record or 404.
        ...singleRecordResource({ method: 'GET', path: '/organization' }, 'organization.jsonata'),
        fieldSources: {
          id: '`id` of GET /organization (the public organization id, `org-…`).',
          name: '`title` (the display name) of GET /organization, else its `name` (the organization slug).',
          created_at: '`created_at` of GET /organization (unix seconds).',
          updated_at: 'Null: the Admin API has no modification time.',
          remote_data: 'The organization profile as received.',
        },
      },
      'usage-metering/workspaces': {
        list: {
          // Projects, archived ones too (their usage stays in the reports); limit 1–100.
          // https://platform.openai.com/docs/api-reference/projects/list
          request: { method: 'GET', path: '/organization/projects', query: { include_archived: 'true' } },
          mappings: { response: 'project.jsonata' },
          pagination: afterLastId,
          recordsPath: 'data',
          pageSize: { default: 100, max: 100 },
          sideLoads: { organization },
        },
        get: {
          // https://platform.openai.com/docs/api-reference/projects/retrieve
          request: { method: 'GET', path: '/organization/projects/{{id}}' },
          mappings: { response: 'project.jsonata' },
          sideLoads: { organization },
        },
        fieldSources: {
          id: 'Project `id` (`proj_…`) from /organization/projects.',
          name: 'Project `name`.',
          organization: '`id` of GET /organization; null when the key lacks organization.read (projects carry no organization id).',
          created_at: 'Project `created_at` (unix seconds).',
          updated_at: 'Null: the Admin API has no modification time (`archived_at` and `status` are in remote_data).',
          remote_data: 'The project object as received (archived projects are listed too).',
        },
      },
    },
  },
  simulator: async () => (await import('./simulator')).startSimulator,
}
