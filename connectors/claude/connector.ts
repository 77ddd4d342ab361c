/**
 * Claude — the Anthropic Admin API.
 * https://platform.claude.com/docs/en/api/admin/users/list
 * https://platform.claude.com/docs/en/api/beta/organization/usage_report/retrieve_claude_code
 */
import type { ConnectorModule, SideLoadSpec } from '../../src/engine/connector-types'

/** Per-user Claude Code activity of one day (`date`, default three days ago), joined on email. */
const activity: SideLoadSpec = {
  request: { method: 'GET', path: '/v1/organizations/usage_report/claude_code' },
  mappings: { query: 'activity.query.jsonata' },
  pagination: { type: 'cursor', cursorParam: 'page', nextCursorPath: 'next_page', hasMorePath: 'has_more', limitParam: 'limit' },
  recordsPath: 'data',
  pageSize: 1000,
  maxPages: 20,
}

/** The organization every user belongs to. */
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
    resources: {
      'usage-metering/users': {
        list: {
          request: { method: 'GET', path: '/v1/organizations/users' },
          mappings: { response: 'user.jsonata' },
          pagination: { type: 'cursor', cursorParam: 'after_id', nextCursorPath: 'last_id', hasMorePath: 'has_more', limitParam: 'limit' },
          recordsPath: 'data',
          pageSize: { default: 100, max: 1000 },
          sideLoads: { activity, organization },
        },
        get: {
          request: { method: 'GET', path: '/v1/organizations/users/{{id}}' },
          mappings: { response: 'user.jsonata' },
          sideLoads: { activity, organization },
        },
      },
    },
  },
  simulator: async () => (await import('./simulator')).startSimulator,
}
