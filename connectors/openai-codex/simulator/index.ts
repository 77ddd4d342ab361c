/**
 * OpenAI Admin API simulator (providers.md §2.2, §2.5): the organization profile, its projects,
 * users and invites, and its completions usage and costs (./usage.ts) on a real
 * loopback HTTP server. OpenAI's base URL includes `/v1`, so `baseUrl` is origin + `/v1` and the
 * connector's paths (`/organization/users`) resolve exactly as against api.openai.com.
 *
 * Variants (`options.variant`):
 * - `apiKey`: the admin key to accept (default `sk-admin-sandbox-unimeter`)
 * - `fields`: `mixed` (default), `full` or `minimal`: how many optional user fields appear
 * - `domain`: email domain of the members (default `example.com`)
 * - `inviteTime`: `created_at` (default, the current spec) or `invited_at` (older specs): the
 *   name invites give their send time
 * - `costValue`: `string` (default, as the API is seen to send it) or `number` (as documented):
 *   how costs give `amount.value`
 * - `analyticsApiKey`, `workspaceId`: the Codex Analytics API key (a Platform key scoped to
 *   `codex.enterprise.analytics.read`) and the ChatGPT workspace it reads (./codex-analytics.ts)
 */
import {
  startSimServer,
  type RunningSimulator,
  type SimHandler,
  type SimRequest,
  type SimResponse,
  type StartSimulator,
} from '../../../src/sandbox/simulator-kit'
import { invitesCollection, usersCollection } from './collections'
import { OpenAIWorld, type FieldsMode, type InviteTimeField } from './data'
import { openaiError, openaiVendor } from './errors'
import { listPage } from './list-page'
import { BadRequest } from './params'
import { organizationProfile, project, PROJECT_COUNT, projectsCollection } from './projects'
import { codexUsagePage } from './codex-analytics'
import { completionsUsagePage, costsPage } from './usage'

export const DEFAULT_API_KEY = 'sk-admin-sandbox-unimeter'
export const DEFAULT_ANALYTICS_API_KEY = 'sk-proj-codex-analytics-sandbox-unimeter'
export const DEFAULT_WORKSPACE_ID = '5f0c1b7e-2d4a-4c8e-9a31-7b6d0e2f4c19'

/** What OpenAI answers a valid Platform key without the endpoint's scope. */
const MISSING_SCOPE =
  'You have insufficient permissions for this operation. Missing scopes: codex.enterprise.analytics.read. ' +
  "Check that you have the correct role in your organization, and if you're using a restricted API key, that it has the necessary scopes."

const MISSING_KEY =
  "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), " +
  "or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. " +
  'You can obtain an API key from https://platform.openai.com/account/api-keys.'

/** OpenAI echoes a wrong key masked: its first 8 and last 4 characters. */
function masked(key: string): string {
  return key.length <= 12 ? key : `${key.slice(0, 8)}${'*'.repeat(key.length - 12)}${key.slice(-4)}`
}

export const startSimulator: StartSimulator = async (options = {}) => {
  const seed = options.seed ?? 42
  const variant = options.variant ?? {}
  const apiKey = variant.apiKey ?? DEFAULT_API_KEY
  const fields: FieldsMode = variant.fields === 'full' || variant.fields === 'minimal' ? variant.fields : 'mixed'
  const inviteTime: InviteTimeField = variant.inviteTime === 'invited_at' ? 'invited_at' : 'created_at'
  const costValue = variant.costValue === 'number' ? 'number' : 'string'
  const analyticsKey = variant.analyticsApiKey ?? DEFAULT_ANALYTICS_API_KEY
  const workspaceId = variant.workspaceId ?? DEFAULT_WORKSPACE_ID
  const world = new OpenAIWorld({ seed, users: options.users ?? 25, domain: variant.domain ?? 'example.com', fields, inviteTime })

  const fail = (status: number, message: string, extra?: { param?: string | null; code?: string | null }): SimResponse => ({
    status,
    body: openaiError(status, message, extra),
  })

  /** Admin endpoints take the Admin key; the Codex Analytics API its scoped key (the Admin key lacks the scope). */
  const guarded =
    (handler: SimHandler, key = apiKey): SimHandler =>
    async (req: SimRequest) => {
      const auth = req.headers.authorization
      const match = typeof auth === 'string' ? /^Bearer\s+(.*)$/i.exec(auth.trim()) : null
      if (!match || match[1] === '') return fail(401, MISSING_KEY, { code: null })
      if (key !== apiKey && match[1] === apiKey) return fail(401, MISSING_SCOPE, { code: null })
      if (match[1] !== key) {
        return fail(
          401,
          `Incorrect API key provided: ${masked(match[1])}. You can find your API key at https://platform.openai.com/account/api-keys.`,
          {
            code: 'invalid_api_key',
          },
        )
      }
      try {
        return await handler(req)
      } catch (err) {
        if (err instanceof BadRequest) return fail(400, err.message, { param: err.param, code: err.code })
        throw err
      }
    }

  const server = await startSimServer({
    seed,
    host: options.host,
    port: options.port,
    vendor: openaiVendor(seed),
    routes: [
      { method: 'GET', pattern: '/v1/organization', handler: guarded(() => ({ body: organizationProfile(world) })) },
      {
        method: 'GET',
        pattern: '/v1/organization/projects',
        handler: guarded((req) => ({ body: listPage(req, projectsCollection(world, req)) })),
      },
      {
        method: 'GET',
        pattern: '/v1/organization/projects/:project_id',
        handler: guarded((req) => {
          const index = world.projects.indexOf(req.params.project_id)
          if (index !== undefined && index < PROJECT_COUNT) return { body: project(world, index) }
          return fail(404, `No such project: ${req.params.project_id}`, { code: null })
        }),
      },
      {
        method: 'GET',
        pattern: '/v1/organization/usage/completions',
        handler: guarded((req) => ({ body: completionsUsagePage(world, req.query, Date.now() / 1000) })),
      },
      {
        method: 'GET',
        pattern: '/v1/organization/costs',
        handler: guarded((req) => ({ body: costsPage(world, req.query, Date.now() / 1000, costValue) })),
      },
      {
        method: 'GET',
        pattern: '/v1/analytics/codex/workspaces/:workspace_id/usage',
        handler: guarded((req) => {
          // The key's organization must be the workspace's (https://developers.openai.com/docs/enterprise/analytics-api).
          if (req.params.workspace_id !== workspaceId)
            return fail(403, `The API key's organization is not associated with workspace ${req.params.workspace_id}.`, { code: null })
          return { body: codexUsagePage(world, req.query, Date.now() / 1000) }
        }, analyticsKey),
      },
      {
        method: 'GET',
        pattern: '/v1/organization/users',
        handler: guarded((req) => ({ body: listPage(req, usersCollection(world, req)) })),
      },
      {
        method: 'GET',
        pattern: '/v1/organization/users/:user_id',
        handler: guarded((req) => {
          const index = world.users.indexOf(req.params.user_id)
          if (index !== undefined && index < world.userCount) return { body: world.user(index) }
          return fail(404, `No such user: ${req.params.user_id}`, { code: null })
        }),
      },
      {
        method: 'GET',
        pattern: '/v1/organization/invites',
        handler: guarded((req) => ({ body: listPage(req, invitesCollection(world)) })),
      },
      {
        method: 'GET',
        pattern: '/v1/organization/invites/:invite_id',
        handler: guarded((req) => {
          const index = world.invites.indexOf(req.params.invite_id)
          if (index !== undefined && index < world.inviteCount) return { body: world.invite(index) }
          return fail(404, `No such invite: ${req.params.invite_id}`, { code: null })
        }),
      },
    ],
  })

  const running: RunningSimulator = {
    ...server,
    baseUrl: `${server.origin}/v1`,
    credentials: { api_key: apiKey, analytics_api_key: analyticsKey },
    context: { workspace_id: workspaceId },
  }
  return running
}
