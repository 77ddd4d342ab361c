/**
 * Limitly — the REST API of the Limitly rate-limiting service (a Supabase Edge Functions backend).
 * https://docs.limitly.dev (limitlydev/docs `rest-api/*.mdx`), SDK limitlydev/limitly-js.
 *
 * Base URL: the docs call `https://api.limitly.dev/functions/v1/…`, which is the default here; the
 * SDK's default is the Supabase project URL behind it (`https://<project>.supabase.co/functions/v1`).
 * An operator whose account answers only there sets UNIMETER_LIMITLY_BASE_URL.
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
        helpText:
          "The account (owner) key, lk_ + 32 characters; end-user keys (lk_user_…) cannot list users. Calls go to https://api.limitly.dev/functions/v1 as the docs show; where your account answers only at the SDK's Supabase URL, the operator sets UNIMETER_LIMITLY_BASE_URL to it.",
      },
    ],
    auth: { type: 'bearer', credential: 'api_key' },
    // The account limit (1000 requests a minute per key) comes with no documented headers and
    // its 429 with no Retry-After, so retries back off on their own. The X-RateLimit-* headers
    // the docs show belong to /validate (an end user's quota), which unimeter never calls.
    // https://docs.limitly.dev/rest-api/reference#rate-limiting, https://docs.limitly.dev/rest-api/validation
    // `{error, code, details?}` (with `success: false` in the SDK's envelope); the code decides the status.
    errors: { messagePaths: ['error', 'message'], codePaths: ['code'], mapping: 'limitly.jsonata' },
    // https://docs.limitly.dev/rest-api/users#list-users
    verification: { method: 'GET', path: '/users', query: { page: '1', limit: '1' } },
    resources: {
      'usage-metering/users': {
        list: {
          // https://docs.limitly.dev/rest-api/users#list-users
          request: { method: 'GET', path: '/users' },
          mappings: { response: 'user.jsonata' },
          // The body has only `count`: a page shorter than `limit` is the last.
          // `count` is the total number of users (simulator and docs): a short page before it is partial.
          pagination: { type: 'page', pageParam: 'page', limitParam: 'limit', firstPage: 1, totalCountPath: 'count' },
          recordsPath: 'data',
          pageSize: { default: 100, max: 100 },
        },
        get: {
          // https://docs.limitly.dev/rest-api/users#get-user
          request: { method: 'GET', path: '/users/{{id}}' },
          mappings: { response: 'user.jsonata' },
          sideLoads: {
            // https://docs.limitly.dev/rest-api/users#get-user-usage
            usage: { request: { method: 'GET', path: '/users/{{id}}/usage' }, recordsPath: 'data', maxPages: 1 },
          },
        },
        fieldSources: {
          id: 'GET /users `user_id`, as a string.',
          name: 'GET /users `name`.',
          first_name: 'Null: Limitly keeps one name.',
          last_name: 'Null: Limitly keeps one name.',
          emails: 'GET /users `email` (optional in Limitly).',
          roles: 'Null: Limitly users have a plan, not roles.',
          status: '`inactive` when `is_disabled` is true, otherwise `active`.',
          organization: 'Null: a Limitly account has no organizations.',
          spend_limit: 'Null: Limitly plans cap requests, not money (the quota is in the `plan` and, on get, `usage` extension fields).',
          last_active_at: 'Null: Limitly reports no per-user activity time (GET /users/{id}/requests is a request log, not read).',
          created_at: 'GET /users `created_at`.',
          updated_at: 'GET /users `updated_at`.',
        },
      },
      'usage-metering/usage': {
        list: {
          // One user's requests this period against the plan limit: Limitly has no bulk usage
          // endpoint (one call per user), so the list answers for the user `user_ids` names.
          // https://docs.limitly.dev/rest-api/users#get-user-usage
          request: { method: 'GET', path: '/users/{{query.user_ids}}/usage' },
          mappings: { response: 'usage.jsonata' },
          pagination: { type: 'none' },
          recordsPath: 'data',
          singleRecord: true,
          pageSize: { default: 1, max: 1 },
          // The current quota period only: no period to ask for, no other filter.
          supports: { user_ids: true },
        },
        fieldSources: {
          id: 'Stable: derived from the user id and the quota period.',
          metric_name: 'Always `requests`: Limitly plans cap request counts.',
          user: '`id`: the `user_ids` value asked for (the usage answer carries none); `name`: `user_name` where the answer has it; email null (one more call).',
          charges: 'Null: Limitly quotas count requests, not money.',
          usage:
            '`quantity` and `requests.total`: `current_usage`; `unit`: `request`. The plan limit, `remaining`, `period` and `plan_name` are in the `quota` extension field.',
          start_date: '`period_start` (SDK shape); null in the docs shape, which gives only the reset time.',
          end_date: '`period_end` (SDK shape) or `reset_time` (docs shape): when the quota resets.',
          product: 'Null: Limitly has no products.',
          organization: 'Null: a Limitly account has no organizations.',
          model: 'Null: Limitly does not know models.',
          surface: 'Null: Limitly does not know surfaces.',
          resources: 'Null.',
          created_at: 'Null: the usage answer has no timestamps.',
          updated_at: 'Null: the usage answer has no timestamps.',
          remote_data: 'The usage object as received.',
        },
      },
    },
  },
  simulator: async () => (await import('./simulator')).startSimulator,
}
