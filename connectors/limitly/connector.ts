/**
 * Limitly — the REST API of the Limitly rate-limiting service (a Supabase Edge Functions backend).
 * https://docs.limitly.dev (limitlydev/docs `rest-api/*.mdx`), SDK limitlydev/limitly-js.
 *
 * Users carry their plan inline. Current usage lives at `GET /users/{id}/usage`, one user per
 * call and no bulk endpoint, so it is fetched only on get (one extra request); a list would need
 * a request per user, which unimeter never does.
 */
import type { ConnectorModule } from '../../src/engine/connector-types'

export const limitly: ConnectorModule = {
  definition: {
    id: 'limitly',
    label: 'Limitly',
    docsUrl: 'https://docs.limitly.dev/rest-api/reference',
    baseUrl: 'https://api.limitly.dev/functions/v1',
    credentials: [
      {
        name: 'api_key',
        label: 'API key',
        secret: true,
        required: true,
        pattern: '^lk_',
        example: 'lk_0123456789abcdef0123456789abcdef',
        helpText: 'The account (owner) key, lk_ + 32 characters; end-user keys (lk_user_…) cannot list users.',
      },
    ],
    auth: { type: 'bearer', credential: 'api_key' },
    // On every authenticated answer; the reset is a unix timestamp in seconds. No Retry-After.
    rateLimit: {
      limitHeader: 'x-ratelimit-limit',
      remainingHeader: 'x-ratelimit-remaining',
      resetHeader: 'x-ratelimit-reset',
      resetFormat: 'unix-seconds',
    },
    // `{error, code, details?}` (with `success: false` in the SDK's envelope); the code decides the status.
    errors: { messagePaths: ['error', 'message'], codePaths: ['code'], mapping: 'limitly.jsonata' },
    verification: { method: 'GET', path: '/users', query: { page: '1', limit: '1' } },
    resources: {
      'usage-metering/users': {
        list: {
          request: { method: 'GET', path: '/users' },
          mappings: { response: 'user.jsonata' },
          // The body has only `count`: a page shorter than `limit` is the last.
          // `count` is the total number of users (simulator and docs): a short page before it is partial.
          pagination: { type: 'page', pageParam: 'page', limitParam: 'limit', firstPage: 1, totalCountPath: 'count' },
          recordsPath: 'data',
          pageSize: { default: 100, max: 100 },
        },
        get: {
          request: { method: 'GET', path: '/users/{{id}}' },
          mappings: { response: 'user.jsonata' },
          sideLoads: {
            usage: { request: { method: 'GET', path: '/users/{{id}}/usage' }, recordsPath: 'data', maxPages: 1 },
          },
        },
      },
    },
  },
  simulator: async () => (await import('./simulator')).startSimulator,
}
