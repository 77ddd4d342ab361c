/**
 * GitHub Copilot — the GitHub REST API's Copilot user management endpoints, for one organization
 * named by the account's `org`: one unified user per Copilot seat.
 * https://docs.github.com/en/rest/copilot/copilot-user-management?apiVersion=2022-11-28
 */
import type { ConnectorModule } from '../../src/engine/connector-types'

/**
 * The REST API version every request pins (https://docs.github.com/en/rest/about-the-rest-api/api-versions).
 * 2022-11-28 is what GitHub serves when the header is absent and is supported until at least
 * March 2028; 2026-03-10 is the first version with breaking changes
 * (https://docs.github.com/en/rest/about-the-rest-api/breaking-changes), none of which touch the
 * Copilot seat endpoints. Pinning the older one keeps the seat shape documented in
 * fixtures/wire-schemas; moving up is a deliberate change with its own fixtures.
 */
export const GITHUB_API_VERSION = '2022-11-28'

const SEATS_PATH = '/orgs/{{context.org}}/copilot/billing/seats'

export const githubCopilot: ConnectorModule = {
  definition: {
    id: 'github-copilot',
    label: 'GitHub Copilot',
    docsUrl: 'https://docs.github.com/en/rest/copilot/copilot-user-management?apiVersion=2022-11-28',
    baseUrl: 'https://api.github.com',
    credentials: [
      {
        name: 'api_key',
        label: 'GitHub token',
        secret: true,
        required: true,
        // No pattern: GitHub documents several token forms (ghp_, github_pat_, ghs_, gho_, ghu_)
        // and refusing a real one is worse than letting GitHub answer 401.
        example: 'github_pat_… or ghp_…',
        helpText:
          'A token of an owner of the organization: a fine-grained token with the organization permission "GitHub Copilot Business" (read), ' +
          'a classic token (ghp_…) with manage_billing:copilot or read:org, or a GitHub App installation token (ghs_…) with that permission.',
      },
    ],
    contextFields: [
      {
        name: 'org',
        label: 'Organization',
        secret: false,
        required: true,
        pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$',
        example: 'octo-org',
        helpText: 'The organization login, as in https://github.com/<org> (not case sensitive).',
      },
    ],
    auth: { type: 'bearer', credential: 'api_key' },
    // https://docs.github.com/en/rest/using-the-rest-api/getting-started-with-the-rest-api#headers
    headers: { accept: 'application/vnd.github+json', 'x-github-api-version': GITHUB_API_VERSION },
    // https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit
    // Primary limit: 403 or 429 with x-ratelimit-remaining 0 → wait until x-ratelimit-reset (UTC
    // epoch seconds). Secondary limit: 403 or 429, retry-after when present; without it the error
    // mapping still reports a 429 (its message names the rate limit).
    rateLimit: {
      limitHeader: 'x-ratelimit-limit',
      remainingHeader: 'x-ratelimit-remaining',
      resetHeader: 'x-ratelimit-reset',
      resetFormat: 'unix-seconds',
      retryAfterHeaders: ['retry-after'],
      waitForResetWhenExhausted: true,
      throttleStatuses: [403],
    },
    // Every error is GitHub's basic-error `{message, documentation_url, url?, status?}` (status a string).
    errors: { messagePaths: ['message'], mapping: 'github-copilot.jsonata' },
    // The cheapest request that proves the token may read this organization's seats.
    // https://docs.github.com/en/rest/copilot/copilot-user-management?apiVersion=2022-11-28#list-all-copilot-seat-assignments-for-an-organization
    verification: { method: 'GET', path: SEATS_PATH, query: { per_page: '1' } },
    resources: {
      'usage-metering/users': {
        list: {
          // GET /orgs/{org}/copilot/billing/seats: `page` + `per_page` (default 50, max 100), the
          // next page in the Link header, `total_seats` beside `seats`.
          // https://docs.github.com/en/rest/copilot/copilot-user-management?apiVersion=2022-11-28#list-all-copilot-seat-assignments-for-an-organization
          // https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api
          request: { method: 'GET', path: SEATS_PATH },
          mappings: { response: 'seat.jsonata' },
          pagination: { type: 'link', limitParam: 'per_page', numberedPages: true },
          recordsPath: 'seats',
          pageSize: { default: 50, max: 100 },
        },
        // The unified id is the assignee's numeric account id (stable across renames), but GitHub's
        // seat get takes a login. A numeric id walks the seats; a login (anything not all digits)
        // asks GitHub's seat get directly, in one request.
        get: {
          via: 'list',
          match: ['id'],
          byOtherKey: {
            pattern: '^(?![0-9]+$)[A-Za-z0-9][A-Za-z0-9_.-]*$',
            get: {
              // GET /orgs/{org}/members/{username}/copilot: 422 when Copilot Business/Enterprise is
              // off for the organization or the user's invitation is pending.
              // https://docs.github.com/en/rest/copilot/copilot-user-management?apiVersion=2022-11-28#get-copilot-seat-assignment-details-for-a-user
              request: { method: 'GET', path: '/orgs/{{context.org}}/members/{{id}}/copilot' },
              mappings: { response: 'seat.jsonata' },
            },
          },
        },
        fieldSources: {
          id: "The seat assignee's numeric GitHub account id (`assignee.id`), as a string. Seats whose assignee is null (a deleted account) are no user and are left out.",
          name: "The assignee's `name` when GitHub includes it, else their `login`.",
          first_name: "The first word of the assignee's `name`; null when GitHub gives only a login.",
          last_name: "The rest of the assignee's `name`; null when GitHub gives only a login.",
          emails: "The assignee's `email` when GitHub includes it (public or visible email only); otherwise empty.",
          roles: "The seat's Copilot `plan_type` (business, enterprise or unknown) as the one role.",
          status:
            '`active` while the seat is billed (a seat pending cancellation keeps access until its `pending_cancellation_date`); `inactive` once that date has passed.',
          organization: "The seat's `organization.login`, else the account's `org`, as both id and name.",
          spend_limit: 'Always null: Copilot seats are flat-priced and GitHub sets no per-user spending limit on them.',
          last_active_at: "The seat's `last_activity_at` (last Copilot use with telemetry on); null when the user never used Copilot.",
          created_at: "The seat's `created_at`: when the assignee was last granted Copilot.",
          updated_at: "Always null: GitHub is closing down the seat's `updated_at` and says to rely on `created_at`.",
        },
      },
      'usage-metering/usage': {
        list: {
          // report_type=usage (default): premium requests per model, one UTC day per request
          // (GitHub's year/month/day). Per person only with remote_query[user]=<login>.
          // https://docs.github.com/en/rest/billing/usage#get-billing-premium-request-usage-report-for-an-organization
          request: { method: 'GET', path: '/organizations/{{context.org}}/settings/billing/premium_request/usage' },
          mappings: { response: 'premium-requests.jsonata', query: 'premium-requests.query.jsonata' },
          pagination: { type: 'none' },
          recordsPath: 'usageItems',
          pageSize: { default: 100, max: 100 },
          // GitHub keeps 24 months; the window reaches the mapping as `window`.
          windows: { align: 'day', maxSpan: 1, maxRangeDays: 730, defaultRange: { startDaysAgo: 7, endDaysAgo: 0 } },
          supports: {},
          reports: {
            param: 'report_type',
            name: 'usage',
            others: {
              // report_type=activity: per-user Copilot metrics of a day, in NDJSON files at the
              // signed `download_links` the endpoint answers with (another host: fetched without
              // the token). A day's report exists once the day is over, for a year back.
              // https://docs.github.com/en/rest/copilot/copilot-usage-metrics
              activity: {
                request: { method: 'GET', path: '/orgs/{{context.org}}/copilot/metrics/reports/users-1-day' },
                mappings: { response: 'user-day.jsonata' },
                pagination: { type: 'none' },
                recordsPath: 'records',
                linkedRecords: { urlsPath: 'download_links', urlPolicy: 'public-https' },
                pageSize: { default: 100, max: 1000 },
                windows: {
                  align: 'day',
                  maxSpan: 1,
                  maxRangeDays: 365,
                  defaultRange: { startDaysAgo: 8, endDaysAgo: 1 },
                  send: { start: { param: 'day', format: 'date' } },
                },
                supports: {},
              },
            },
          },
        },
        fieldSources: {
          id: 'Derived from the period, organization, user, product, SKU and model (usage), or the day and account id (activity).',
          product: 'usage: the item’s `product` (Copilot); activity: GitHub Copilot.',
          metric_name: 'usage: the item’s `sku` (Copilot Premium Request); activity: `daily_activity`.',
          resources: 'Null.',
          organization: 'usage: the report’s `organization`; activity: the record’s `organization_id`.',
          user: 'usage: the login of remote_query[user] (GitHub splits by person only when asked for one), else null; activity: `user_id` and `user_login` (no email).',
          model: 'usage: the item’s `model`, provider read from its name. Null on activity.',
          surface: 'Null.',
          charges: 'usage: US dollars to cents exactly, `discountAmount` as included and `netAmount` as usage_based. Null on activity.',
          usage:
            'usage: premium requests (gross as total, discount as included, net as usage_based; fractional for models counted below one). activity: interactions, lines added/removed, accepts, the CLI’s sessions and tokens, the IDE version.',
          start_date: 'The UTC day of the report (usage: the `timePeriod`).',
          end_date: 'The next UTC day (usage: the end of the `timePeriod`).',
          created_at: 'Null.',
          updated_at: 'Null.',
        },
      },
    },
  },
  simulator: async () => (await import('./simulator')).startSimulator,
}
