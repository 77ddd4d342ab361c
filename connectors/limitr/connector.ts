/**
 * Limitr — Formata's entitlements engine and its cloud (`api.limitr.dev`), reference §6.
 * https://github.com/dev-formata-io/limitr (README, `typescript/main.ts` Limitr.cloud()).
 *
 * Limitr has no REST API. get speaks the cloud's ticket + WebSocket protocol (cloud.ts). list
 * reads a customers snapshot the account points at (`snapshot_url`: the JSON the SDK's
 * `customers()` returns, e.g. exported by the app to object storage); it is fetched like any
 * vendor page, under the public-https URL policy, and without one list is not available.
 */
import type { ConnectorModule } from '../../src/engine/connector-types'
import { fetchCustomer } from './cloud'

export const limitr: ConnectorModule = {
  definition: {
    id: 'limitr',
    label: 'Limitr',
    docsUrl: 'https://github.com/dev-formata-io/limitr',
    baseUrl: 'https://api.limitr.dev',
    credentials: [
      {
        name: 'token',
        label: 'Cloud token',
        secret: true,
        required: true,
        example: 'lmlive_…',
        helpText: 'The Limitr Cloud token the SDK passes to Limitr.cloud() (test_… or lmlive_…).',
      },
      {
        // Secret: a presigned object URL is itself a credential.
        name: 'snapshot_url',
        label: 'Customers snapshot URL',
        secret: true,
        required: false,
        pattern: '^https?://\\S+$',
        // Not a URL: can never be fetched.
        refuseMismatch: true,
        example: 'https://storage.example.com/limitr/customers.json?X-Amz-Signature=…',
        helpText:
          "Optional, for list: a public https URL serving the JSON of the SDK's customers() (a map keyed by customer id, or an array). Fetched without credentials.",
      },
    ],
    // The token travels in the ticket request's body; the snapshot URL gets no credentials.
    auth: { type: 'none' },
    errors: { messagePaths: ['error', 'message'], mapping: 'limitr.jsonata' },
    // A ticket is cheap, single use and expires unused after a minute (Limitr.cloud() in
    // https://github.com/dev-formata-io/limitr/blob/main/typescript/main.ts).
    verification: { method: 'POST', path: '/wss/ticket', body: { token: '{{credentials.token}}' } },
    resources: {
      'usage-metering/users': {
        list: {
          // The JSON of the SDK's customers() (https://github.com/dev-formata-io/limitr/blob/main/typescript/main.ts).
          request: { method: 'GET', path: '', url: '{{credentials.snapshot_url}}', urlPolicy: 'public-https' },
          requires: {
            fields: ['snapshot_url'],
            message:
              "Limitr has no API that lists customers. Set context.snapshot_url to a public https URL serving the JSON of the Limitr SDK's customers(); get by id works without it.",
          },
          mappings: { response: 'customer.jsonata' },
          // One document holds every customer; the gateway pages through it.
          pagination: { type: 'none' },
          recordsPath: '',
          keyedRecords: true,
          pageSize: { default: 100, max: 1000 },
        },
        get: {
          // Ticket, socket, policy, customer: Limitr.cloud() and addCloudCustomer() in
          // https://github.com/dev-formata-io/limitr/blob/main/typescript/main.ts (cloud.ts).
          request: { method: 'GET', path: '/wss' },
          fetch: fetchCustomer,
          mappings: { response: 'customer.jsonata' },
        },
        fieldSources: {
          id: 'The customer `id` (a get also finds a customer by any of its `alt_ids`).',
          name: 'The customer `label`.',
          first_name: 'Null: Limitr keeps one label.',
          last_name: 'Null: Limitr keeps one label.',
          emails: '`metadata.email`, where the app stores one; Limitr has no email field.',
          roles: 'Null: Limitr customers have a plan, not roles.',
          status: '`active` for every customer Limitr knows (it keeps no other state); orgs are not listed.',
          organization: 'The first customer of type `org` the refs lead to (directly or through a team): its `id` and `label`.',
          spend_limit:
            "The lowest ceiling among the customer's own caps and the `shared` caps of the customers its refs lead to (for its type), not observe-only nor scoped, in runes (credit default; 1 rune = 1 USD) or a currency; `value` a number or Stof number string.",
          last_active_at: 'Null: customer records carry no activity time.',
          created_at: 'Null: customer records carry no creation time.',
          updated_at: 'Null: customer records carry no change time.',
        },
      },
      'usage-metering/usage': {
        list: {
          // The same customers snapshot as users: each customer's meters and credit grants
          // (src/spec/meter.stof, src/spec/grant.stof in https://github.com/dev-formata-io/limitr).
          request: { method: 'GET', path: '', url: '{{credentials.snapshot_url}}', urlPolicy: 'public-https' },
          requires: {
            fields: ['snapshot_url'],
            message:
              "Limitr has no API that lists usage. Set context.snapshot_url to a public https URL serving the JSON of the Limitr SDK's customers(); their meters and grants are the usage.",
          },
          mappings: { response: 'usage.jsonata' },
          pagination: { type: 'none' },
          recordsPath: '',
          keyedRecords: true,
          pageSize: { default: 100, max: 1000 },
          // The snapshot is the current state, with no period: only a customer filter applies.
          supports: { user_ids: true },
        },
        fieldSources: {
          id: 'Stable: derived from the customer id and the meter (entitlement) or grant id.',
          product: 'Null: Limitr meters entitlements of a plan, not products.',
          metric_name: 'The entitlement a meter counts (e.g. `ai_tokens`); `credit_grant` for a grant.',
          resources: 'For a customer that is not a user (an org, team or seat): that customer (`id`, `label`); null for users.',
          organization: 'The customer itself when it is an org, else the first org its refs lead to: `id` and `label`.',
          user: 'For customers of type `user`: `id`, `label` as the name and `metadata.email` where the app keeps one.',
          model: 'Null: Limitr does not know models.',
          surface: 'Null: Limitr does not know product surfaces.',
          charges:
            "In a currency credit only (`rune` = USD 1:1, the policy default exchange, or an ISO code): a meter's value as a `usage_based` charge; for a grant, the part consumed (`starting_value` − `value`) as a `credit` charge. In minor units. Null for other credits (tokens, calls, seats).",
          usage: "`quantity` and `unit`: a meter's `value` and `credit`; a grant's balance left (`value`) and `credit`.",
          start_date: 'Grants: `granted_on`. Meters: null (the record carries no period; resets live in the policy).',
          end_date: 'Grants: `expires_on` (null when it never expires). Meters: null.',
          created_at: 'Null: customer records carry no timestamps.',
          updated_at: 'Null: customer records carry no timestamps.',
          remote_data: 'The meter or grant as in the snapshot, with `customer_id` and the entitlement or grant id.',
        },
      },
    },
  },
  simulator: async () => (await import('./simulator')).startSimulator,
}
