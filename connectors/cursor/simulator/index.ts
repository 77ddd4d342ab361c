/**
 * Cursor Admin API simulator (https://api.cursor.com): team members, spend, daily usage and usage events,
 * behind HTTP Basic auth with the admin key as user name and an empty password.
 *
 * Options: `seed` (default 42), `users` (default 25, up to a million), `variant.apiKey`
 * (default `key_sandbox_unimeter`), `variant.members` and `variant.ids` (see CursorShape).
 */
import { startSimServer, type RunningSimulator, type StartSimulator } from '../../../src/sandbox/simulator-kit'
import { dailyUsageHandler } from './daily-usage'
import { membersHandler } from './members'
import { spendHandler } from './spend'
import { usageEventsHandler } from './usage-events'
import { parseShape, Team } from './team'
import { cursorRoute, cursorVendor, DEFAULT_API_KEY } from './vendor'

export const DEFAULT_USERS = 25

export const startSimulator: StartSimulator = async (options = {}): Promise<RunningSimulator> => {
  const seed = options.seed ?? 42
  const apiKey = options.variant?.apiKey ?? DEFAULT_API_KEY
  const team = new Team(seed, options.users ?? DEFAULT_USERS)
  const shape = parseShape(options.variant)
  const server = await startSimServer({
    seed,
    host: options.host,
    port: options.port,
    vendor: cursorVendor,
    routes: [
      { method: 'GET', pattern: '/teams/members', handler: cursorRoute(apiKey, membersHandler(team, shape.members)) },
      { method: 'POST', pattern: '/teams/spend', handler: cursorRoute(apiKey, spendHandler(team, shape.ids)) },
      { method: 'POST', pattern: '/teams/daily-usage-data', handler: cursorRoute(apiKey, dailyUsageHandler(team, shape.ids)) },
      { method: 'POST', pattern: '/teams/filtered-usage-events', handler: cursorRoute(apiKey, usageEventsHandler(team)) },
    ],
  })
  // Cursor's paths hang off the origin itself.
  return { ...server, baseUrl: server.origin, credentials: { api_key: apiKey }, context: {} }
}
