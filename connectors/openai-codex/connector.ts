/**
 * OpenAI Codex — the OpenAI Admin API (organization users and invites), read with an Admin API key.
 * https://platform.openai.com/docs/api-reference/users/list
 * https://platform.openai.com/docs/api-reference/invite/list
 * https://developers.openai.com/api/docs/guides/admin-apis
 */
import type { ConnectorModule, SideLoadSpec } from '../../src/engine/connector-types'
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
