/**
 * OpenAI Codex — the OpenAI Admin API (organization users), read with an Admin API key.
 * https://platform.openai.com/docs/api-reference/users/list
 * https://platform.openai.com/docs/api-reference/users/retrieve
 * https://developers.openai.com/api/docs/guides/admin-apis
 */
import type { ConnectorModule } from '../../src/engine/connector-types'

export const openaiCodex: ConnectorModule = {
  definition: {
    id: 'openai-codex',
    label: 'OpenAI Codex',
    docsUrl: 'https://platform.openai.com/docs/api-reference/users/list',
    baseUrl: 'https://api.openai.com/v1',
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
    ],
    auth: { type: 'bearer', credential: 'api_key' },
    // Admin endpoints document only Retry-After on 429 (x-ratelimit-* belong to inference).
    rateLimit: { retryAfterHeaders: ['retry-after'] },
    errors: { messagePaths: ['error.message'], codePaths: ['error.code', 'error.type'] },
    verification: { method: 'GET', path: '/organization/users', query: { limit: '1' } },
    resources: {
      'usage-metering/users': {
        list: {
          request: { method: 'GET', path: '/organization/users' },
          mappings: { response: 'user.jsonata' },
          // `after` takes the last object id seen; `has_more` says whether to go on.
          pagination: { type: 'cursor', cursorParam: 'after', nextCursorPath: 'last_id', hasMorePath: 'has_more', limitParam: 'limit' },
          recordsPath: 'data',
          pageSize: { default: 100, max: 100 },
        },
        get: {
          request: { method: 'GET', path: '/organization/users/{{id}}' },
          mappings: { response: 'user.jsonata' },
        },
      },
    },
  },
  simulator: async () => (await import('./simulator')).startSimulator,
}
