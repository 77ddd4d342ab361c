/**
 * GitHub REST API simulator for Copilot user management and premium-request billing
 * (https://api.github.com), behind a GitHub token, answering as API version 2022-11-28
 * (2026-03-10 is accepted too: nothing it changed concerns these endpoints).
 *
 * Options: `seed` (default 42), `users` (seats, default 25, up to a million), and variants
 * `token` (default DEFAULT_TOKEN), `org` (default `unimeter-sandbox`), `plan`
 * (`business` | `enterprise` | `unknown`, default `business`) and `copilot: 'off'` (the seat
 * get answers 422, as for an organization without Copilot Business or Enterprise).
 */
import { startSimServer, type RunningSimulator, type SimHandler, type StartSimulator } from '../../../src/sandbox/simulator-kit'
import { CopilotOrg, type PlanType } from './org'
import { PremiumRequests, premiumRequestUsageHandler } from './premium-requests'
import { getSeatHandler, listSeatsHandler } from './seats'
import { REPORT_FILES_PATH, usageReportHandlers } from './usage-reports'
import { DEFAULT_TOKEN, githubRoute, githubVendor, PrimaryRateLimit } from './vendor'

export { DEFAULT_TOKEN }
export const DEFAULT_USERS = 25
export const DEFAULT_ORG = 'unimeter-sandbox'
const PLANS: PlanType[] = ['business', 'enterprise', 'unknown']

export const startSimulator: StartSimulator = async (options = {}): Promise<RunningSimulator> => {
  const seed = options.seed ?? 42
  const token = options.variant?.token ?? DEFAULT_TOKEN
  const plan = (options.variant?.plan ?? 'business') as PlanType
  if (!PLANS.includes(plan)) throw new Error(`plan must be one of ${PLANS.join(', ')}; got ${plan}`)
  const org = new CopilotOrg(seed, options.users ?? DEFAULT_USERS, options.variant?.org ?? DEFAULT_ORG, plan)
  const limit = new PrimaryRateLimit()

  const route = (pattern: string, handler: SimHandler) => ({ method: 'GET', pattern, handler: githubRoute(token, handler) })
  const reports = usageReportHandlers(org)
  const server = await startSimServer({
    seed,
    host: options.host,
    port: options.port,
    vendor: githubVendor(limit),
    routes: [
      route('/orgs/:org/copilot/billing/seats', listSeatsHandler(org)),
      route('/orgs/:org/members/:username/copilot', getSeatHandler(org, options.variant?.copilot !== 'off')),
      route('/organizations/:org/settings/billing/premium_request/usage', premiumRequestUsageHandler(org, new PremiumRequests(org))),
      route('/orgs/:org/copilot/metrics/reports/users-1-day', reports.report),
      // The signed report files: on another host at GitHub, fetched without the token.
      { method: 'GET', pattern: `${REPORT_FILES_PATH}/:file`, handler: reports.file },
    ],
  })
  return { ...server, baseUrl: server.origin, credentials: { api_key: token }, context: { org: org.login } }
}
