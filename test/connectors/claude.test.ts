/**
 * Claude connector: the conformance suites against the Anthropic simulator (members, then pending
 * invites). The vendor's documented examples are in claude-doc-examples.test.ts.
 */
import type { RunningSimulator } from '../../src/sandbox/simulator-kit/types'
import { describeConnectorConformance } from './support/conformance'
import { idsFromCursorList } from './support/vendor-accounts'

const claudeHeaders = (sim: RunningSimulator) => ({ 'x-api-key': sim.credentials.api_key, 'anthropic-version': '2023-06-01' })

/** Every member, then every pending invite (the ones the connector lists as `invited`). */
const claudeIds = async (sim: RunningSimulator) => [
  ...(await idsFromCursorList(
    (after) => `${sim.baseUrl}/v1/organizations/users?limit=1000${after ? `&after_id=${after}` : ''}`,
    claudeHeaders(sim),
  )),
  ...(await idsFromCursorList(
    (after) => `${sim.baseUrl}/v1/organizations/invites?limit=1000${after ? `&after_id=${after}` : ''}`,
    claudeHeaders(sim),
    (invite) => invite.status === 'pending',
  )),
]

describeConnectorConformance({
  connector: 'claude',
  listPath: '/v1/organizations/users',
  pageLimit: 7,
  vendorIds: claudeIds,
  rawRecords: (body) => body.data,
  rawId: (record) => record.id,
  errorStatuses: [400, 401, 402, 403, 404, 429, 500, 529],
  vendorMessage: (raw) => raw.error.message,
})
