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
          'Optional, for list: a public https URL serving the JSON of the SDK\'s customers() (a map keyed by customer id, or an array). Fetched without credentials.',
      },
    ],
    // The token travels in the ticket request's body; the snapshot URL gets no credentials.
    auth: { type: 'none' },
    errors: { messagePaths: ['error', 'message'], mapping: 'limitr.jsonata' },
    // A ticket is cheap, single use and expires unused after a minute.
    verification: { method: 'POST', path: '/wss/ticket', body: { token: '{{credentials.token}}' } },
    resources: {
      'usage-metering/users': {
        list: {
          request: { method: 'GET', path: '', url: '{{credentials.snapshot_url}}', urlPolicy: 'public-https' },
          requires: {
            fields: ['snapshot_url'],
            message:
              'Limitr has no API that lists customers. Set context.snapshot_url to a public https URL serving the JSON of the Limitr SDK\'s customers(); get by id works without it.',
          },
          mappings: { response: 'customer.jsonata' },
          // One document holds every customer; the gateway pages through it.
          pagination: { type: 'none' },
          recordsPath: '',
          keyedRecords: true,
          pageSize: { default: 100, max: 1000 },
        },
        get: {
          request: { method: 'GET', path: '/wss' },
          fetch: fetchCustomer,
          mappings: { response: 'customer.jsonata' },
        },
      },
    },
  },
  simulator: async () => (await import('./simulator')).startSimulator,
}
