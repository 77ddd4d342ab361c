/**
 * Project consumption history, both endpoints:
 * - `GET /consumption_history/projects` (legacy metrics: active time, compute time, written
 *   data, synthetic storage; Scale, Business and Enterprise plans)
 *   https://neon.com/docs/reference/api/consumption/get-consumption-history-per-project
 * - `GET /consumption_history/v2/projects` (usage-based metrics; Launch, Scale, Agent, Business
 *   and Enterprise plans; `org_id` and `metrics` required)
 *   https://neon.com/docs/reference/api/consumption/get-consumption-history-per-project-v2
 *
 * `from`/`to` are rounded down to the granularity; hourly reaches back 168 hours, daily 60 days,
 * monthly a year (406 otherwise). Pages of `limit` projects (1-100, default 10), newest project
 * first, `pagination.cursor` = the last project id of the page. Values are a pure function of
 * (seed, project, hour); a day or month is the sum of its hours, so granularities agree. Neon
 * refreshes about every 15 minutes: the running bucket holds the hours up to the last refresh and
 * grows on later reads (restatement), and nothing is reported before the org's upgrade.
 */
import { fakeUuid, hash32, mulberry32, type SimHandler, type SimRequest } from '../../../src/sandbox/simulator-kit'
import type { NeonOrg } from './org'
import { NeonError } from './vendor'

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS
export const REFRESH_MS = 15 * 60_000
const EARLIEST_FROM = Date.UTC(2024, 2, 1)

export type Granularity = 'hourly' | 'daily' | 'monthly'
export type NeonPlan = 'free' | 'launch' | 'scale' | 'agent' | 'business' | 'enterprise'
export const NEON_PLANS: readonly NeonPlan[] = ['free', 'launch', 'scale', 'agent', 'business', 'enterprise']

const LEGACY_PLANS = new Set<NeonPlan>(['scale', 'business', 'enterprise'])
const V2_PLANS = new Set<NeonPlan>(['launch', 'scale', 'agent', 'business', 'enterprise'])

/** How far back each granularity reaches, and its error text. */
const SPAN: Record<Granularity, { ms: number; text: string }> = {
  hourly: { ms: 168 * HOUR_MS, text: 'the last 168 hours' },
  daily: { ms: 60 * DAY_MS, text: 'the last 60 days' },
  monthly: { ms: 366 * DAY_MS, text: 'the last year' },
}

export const LEGACY_METRICS = [
  'active_time_seconds',
  'compute_time_seconds',
  'written_data_bytes',
  'synthetic_storage_size_bytes',
  'data_storage_bytes_hour',
  'logical_size_bytes',
  'logical_size_bytes_hour',
] as const
const LEGACY_DEFAULT = LEGACY_METRICS.slice(0, 4)

export const V2_METRICS = [
  'compute_unit_seconds',
  'root_branch_bytes_month',
  'child_branch_bytes_month',
  'instant_restore_bytes_month',
  'public_network_transfer_bytes',
  'private_network_transfer_bytes',
  'extra_branches_month',
  'snapshot_storage_bytes_month',
] as const

const ADJECTIVES = ['quiet', 'misty', 'cold', 'bold', 'dry', 'late', 'calm', 'silent', 'young', 'wild']
const NOUNS = ['river', 'stream', 'poetry', 'snow', 'forest', 'meadow', 'dawn', 'leaf', 'sky', 'field']

/** The projects of an org: a few per member, the first created when the org upgraded. */
export class NeonProjects {
  readonly count: number

  constructor(private readonly org: NeonOrg) {
    this.count = Math.max(3, Math.ceil(org.size / 5))
  }

  id(p: number): string {
    const h = hash32(this.org.seed ^ 0x9a0e, p)
    return `${ADJECTIVES[h % 10]}-${NOUNS[(h >>> 4) % 10]}-${String(10_000_000 + ((h >>> 8) % 90_000_000)).slice(0, 8)}`
  }

  /** Project p's index, or -1. */
  indexOf(id: string): number {
    for (let p = 0; p < this.count; p++) if (this.id(p) === id) return p
    return -1
  }

  createdAt(p: number): number {
    return this.org.createdAt + p * 7 * DAY_MS
  }

  /** One hour of project p's usage (zero before it existed), every metric, whole numbers. */
  hour(p: number, hourStart: number): Record<string, number> {
    if (hourStart < Math.floor(this.createdAt(p) / HOUR_MS) * HOUR_MS) return {}
    const next = mulberry32(hash32(this.org.seed ^ Math.imul(hourStart / HOUR_MS, 0x5bd1e995), p))
    // Busy on weekday working hours, idle (scaled to zero) most nights.
    const d = new Date(hourStart)
    const busy = d.getUTCDay() % 6 !== 0 && d.getUTCHours() >= 7 && d.getUTCHours() < 19
    const active = next() < (busy ? 0.9 : 0.25) ? 600 + Math.floor(next() * 3_000) : 0
    const cu = [0.25, 0.5, 1, 2][p % 4]
    const storage = (1 + p) * 1_500_000_000 + Math.floor((hourStart - this.createdAt(p)) / HOUR_MS) * 40_000
    return {
      active_time_seconds: active,
      compute_time_seconds: Math.floor(active * cu),
      written_data_bytes: active * (1_000 + Math.floor(next() * 4_000)),
      // Storage is a level, reported per hour as its hourly share so buckets add up.
      synthetic_storage_size_bytes: Math.floor(storage / 730),
      data_storage_bytes_hour: storage,
      logical_size_bytes: Math.floor(storage * 0.8),
      logical_size_bytes_hour: Math.floor(storage * 0.8),
      compute_unit_seconds: Math.floor(active * cu),
      root_branch_bytes_month: Math.floor(storage / 730),
      child_branch_bytes_month: Math.floor((storage * 0.1) / 730),
      instant_restore_bytes_month: Math.floor((storage * 0.05) / 730),
      public_network_transfer_bytes: active * Math.floor(next() * 50_000),
      private_network_transfer_bytes: p % 3 === 0 ? active * 1_000 : 0,
      extra_branches_month: p % 5 === 4 ? 1 : 0,
      snapshot_storage_bytes_month: 0,
    }
  }
}

function floorTo(ms: number, g: Granularity): number {
  if (g === 'hourly') return Math.floor(ms / HOUR_MS) * HOUR_MS
  if (g === 'daily') return Math.floor(ms / DAY_MS) * DAY_MS
  const d = new Date(ms)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
}

function nextBucket(start: number, g: Granularity): number {
  if (g === 'hourly') return start + HOUR_MS
  if (g === 'daily') return start + DAY_MS
  const d = new Date(start)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
}

const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z')

function dateTime(req: SimRequest, name: string): number {
  const text = req.query.get(name)
  if (text === null || text === '') throw new NeonError(400, `${name} is required`)
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : Number.NaN
  if (!Number.isFinite(ms)) throw new NeonError(400, `${name} must be an RFC 3339 date-time`)
  return ms
}

/** A list parameter sent repeated or comma-separated. */
function listParam(req: SimRequest, name: string): string[] {
  return req.query
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '')
}

export interface ConsumptionOptions {
  version: 'legacy' | 'v2'
  plan: NeonPlan
  /** v2 entries: `metrics: [{metric_name, value}]` (default) or flat fields as the docs' example. */
  v2Shape: 'metrics' | 'flat'
}

export function consumptionHandler(org: NeonOrg, projects: NeonProjects, options: ConsumptionOptions): SimHandler {
  const v2 = options.version === 'v2'
  return (req) => {
    const orgId = req.query.get('org_id')
    if (v2 && !orgId) throw new NeonError(400, 'org_id is required')
    if (orgId && orgId !== org.orgId) throw new NeonError(404, 'Account is not a member of the organization specified by org_id')
    if (!(v2 ? V2_PLANS : LEGACY_PLANS).has(options.plan)) {
      throw new NeonError(
        403,
        v2
          ? 'Not available for this account. Project consumption history requires a Launch, Scale, Agent, Business, or Enterprise plan.'
          : 'This endpoint is not available. It is only supported with Scale, Business, and Enterprise plan accounts.',
      )
    }
    const granularity = req.query.get('granularity')
    if (granularity !== 'hourly' && granularity !== 'daily' && granularity !== 'monthly') {
      throw new NeonError(400, 'granularity must be one of: hourly, daily, monthly')
    }
    const now = Date.now()
    const from = floorTo(dateTime(req, 'from'), granularity)
    const to = floorTo(dateTime(req, 'to'), granularity)
    if (to < from) throw new NeonError(400, 'from must not be after to')
    if (from < EARLIEST_FROM) throw new NeonError(406, 'from must not be earlier than 2024-03-01T00:00:00Z')
    if (from < floorTo(now - SPAN[granularity].ms, granularity)) {
      throw new NeonError(406, `${granularity} consumption metrics are limited to ${SPAN[granularity].text}`)
    }
    const requested = listParam(req, 'metrics')
    const known: readonly string[] = v2 ? V2_METRICS : LEGACY_METRICS
    if (v2 && requested.length === 0) throw new NeonError(400, 'metrics is required')
    const unknown = requested.find((m) => !known.includes(m))
    if (unknown) throw new NeonError(400, `unknown metric: ${unknown}`)
    const metrics = requested.length ? requested : LEGACY_DEFAULT
    const limitText = req.query.get('limit')
    const limit = limitText === null ? 10 : Number(limitText)
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new NeonError(400, 'limit must be an integer from 1 to 100')

    // Newest project first; the cursor is the last project id served.
    let order = Array.from({ length: projects.count }, (_, i) => projects.count - 1 - i)
    const wanted = listParam(req, 'project_ids')
    if (wanted.length) order = order.filter((p) => wanted.includes(projects.id(p)))
    const cursor = req.query.get('cursor')
    if (cursor) {
      const at = order.indexOf(projects.indexOf(cursor))
      if (at < 0) throw new NeonError(400, 'invalid cursor')
      order = order.slice(at + 1)
    }
    let page = order.slice(0, limit)
    const oversized = req.fault('oversized-page')
    if (oversized) page = order.slice(0, limit * (oversized.factor ?? 2))
    if (req.fault('empty-has-more')) page = []

    const refreshedUntil = Math.floor(now / REFRESH_MS) * REFRESH_MS
    const body = {
      projects: page.map((p) => ({
        project_id: projects.id(p),
        periods: [
          {
            period_id: fakeUuid(org.seed ^ 0x9e71, p),
            period_plan: options.plan,
            period_start: rfc3339(org.createdAt),
            consumption: buckets(projects, p, from, to, granularity, refreshedUntil).map(({ start, end, values }) => {
              const picked = metrics.map((m) => [m, values[m] ?? 0] as const)
              const times = { timeframe_start: rfc3339(start), timeframe_end: rfc3339(end) }
              return v2 && options.v2Shape === 'metrics'
                ? { ...times, metrics: picked.map(([metric_name, value]) => ({ metric_name, value })) }
                : { ...times, ...Object.fromEntries(picked) }
            }),
          },
        ],
      })),
      pagination: { cursor: page.length ? projects.id(page[page.length - 1]) : (cursor ?? '') },
    }
    return { status: 200, body }
  }
}

/** The buckets of [from, to) that have data: after the project existed and up to the last refresh. */
function buckets(projects: NeonProjects, p: number, from: number, to: number, g: Granularity, refreshedUntil: number) {
  const out: Array<{ start: number; end: number; values: Record<string, number> }> = []
  for (let start = from; start < to && start < refreshedUntil; start = nextBucket(start, g)) {
    const end = nextBucket(start, g)
    const values: Record<string, number> = {}
    let any = false
    for (let h = start; h < end && h + HOUR_MS <= refreshedUntil; h += HOUR_MS) {
      for (const [k, v] of Object.entries(projects.hour(p, h))) {
        values[k] = (values[k] ?? 0) + v
        any = true
      }
    }
    if (any) out.push({ start, end, values })
  }
  return out
}
