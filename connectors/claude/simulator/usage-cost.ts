/**
 * The Admin API's token and cost reports, seeded and consistent with the simulated workspaces:
 * `GET /v1/organizations/usage_report/messages` and `GET /v1/organizations/cost_report`.
 * https://platform.claude.com/docs/en/api/admin/usage_report/retrieve_messages
 * https://platform.claude.com/docs/en/api/admin/cost_report
 *
 * Usage is arithmetic over a hidden grain (minute × workspace × API key × model): a bucket sums
 * the grain rows inside it, so a day bucket equals its 24 hour buckets, and group_by only chooses
 * which dimensions stay. The day that contains `now` is still filling: every read of it sees more
 * (restatement, as the live API keeps counting today's usage). Cost is the usage priced per
 * token type, in cents as a decimal string ("123.45" = $1.2345).
 */
import { hash32 } from '../../../src/sandbox/simulator-kit'
import { idCodec, type IdCodec } from './ids'
import { arrayParam, BadRequest, parseLimit } from './params'
import type { ClaudeWorkspaces } from './workspaces'

const MINUTE_MS = 60_000
const WIDTHS = { '1m': MINUTE_MS, '1h': 60 * MINUTE_MS, '1d': 1440 * MINUTE_MS } as const
type Width = keyof typeof WIDTHS
/** Buckets per page, default and maximum, per bucket_width (the messages report's documented limits). */
const LIMITS: Record<Width, [number, number]> = { '1d': [7, 31], '1h': [24, 168], '1m': [60, 1440] }
/** Model, display name, and list prices in micro-cents per token: input, output, 5m write, 1h write, cache read. */
const MODELS: Array<[string, string, number, number, number, number, number]> = [
  ['claude-sonnet-4-20250514', 'Claude Sonnet 4', 300, 1500, 375, 600, 30],
  ['claude-opus-4-1-20250805', 'Claude Opus 4.1', 1500, 7500, 1875, 3000, 150],
  ['claude-3-5-haiku-20241022', 'Claude Haiku 3.5', 80, 400, 100, 160, 8],
]
/** Three API keys per active workspace (the archived one stays quiet). */
const KEYS_PER_WORKSPACE = 3
const ACTIVE_WORKSPACES = 3
const TOKEN_TYPES = [
  ['uncached_input_tokens', 'Input Tokens'],
  ['output_tokens', 'Output Tokens'],
  ['cache_creation.ephemeral_5m_input_tokens', 'Cache Write (5m) Tokens'],
  ['cache_creation.ephemeral_1h_input_tokens', 'Cache Write (1h) Tokens'],
  ['cache_read_input_tokens', 'Cache Read Tokens'],
] as const

interface Tokens {
  uncached: number
  output: number
  cache5m: number
  cache1h: number
  cacheRead: number
  webSearch: number
}
interface Grain {
  workspace: string
  apiKey: string
  model: number
}

const zero = (): Tokens => ({ uncached: 0, output: 0, cache5m: 0, cache1h: 0, cacheRead: 0, webSearch: 0 })

/** RFC 3339 → epoch ms, or the API's 400 naming the field. */
function parseInstant(raw: string | null, field: string): number | undefined {
  if (raw === null) return undefined
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(raw) ? Date.parse(raw) : NaN
  if (Number.isNaN(ms)) throw new BadRequest(`${field}: Input should be a valid datetime`)
  return ms
}

export class UsageCostReports {
  readonly apiKeys: IdCodec
  /** Reads of the still-filling day so far: each one sees that day grown. */
  private todayReads = 0

  constructor(
    private readonly seed: number,
    private readonly workspaces: ClaudeWorkspaces,
    private readonly now: () => number = Date.now,
  ) {
    this.apiKeys = idCodec('apikey_', seed, 0x4150494b)
  }

  private grains(): Grain[] {
    const out: Grain[] = []
    for (let w = 0; w < ACTIVE_WORKSPACES; w++)
      for (let k = 0; k < KEYS_PER_WORKSPACE; k++)
        for (let m = 0; m < MODELS.length; m++)
          if (hash32(this.seed ^ 0x47524e, w * 97 + k * 13 + m) % 3 !== 0)
            out.push({ workspace: this.workspaces.ids.idOf(w), apiKey: this.apiKeys.idOf(w * KEYS_PER_WORKSPACE + k), model: m })
    return out
  }

  /** One grain's tokens in the hour starting at `hourMs` (a minute bucket takes a 60th share). */
  private hourTokens(hourMs: number, g: Grain, grown: number): Tokens {
    const h = (salt: number) => hash32(this.seed ^ salt, hash32(hourMs / 3_600_000, hash32(g.model, this.apiKeys.indexOf(g.apiKey) ?? 0)))
    if (h(0x4143) % 4 === 0) return zero()
    const base = 600 + (h(0x494e) % 6000)
    const k = grown
    return {
      uncached: base * 60 * k,
      output: (120 + (h(0x4f55) % 1200)) * 60 * k,
      cache5m: (h(0x3543) % 300) * 60 * k,
      cache1h: (h(0x3148) % 120) * 60 * k,
      cacheRead: (h(0x5244) % 9000) * 60 * k,
      webSearch: (h(0x5753) % 5) * k,
    }
  }

  /** A grain's tokens over [start, end): whole hours summed; a minute is 1/60 of its hour. */
  private tokens(start: number, end: number, g: Grain, growth: (hour: number) => number): Tokens {
    const sum = zero()
    if (end - start < 3_600_000) {
      const hour = Math.floor(start / 3_600_000) * 3_600_000
      const t = this.hourTokens(hour, g, growth(hour))
      const minutes = (end - start) / MINUTE_MS
      for (const f of Object.keys(sum) as Array<keyof Tokens>) sum[f] = f === 'webSearch' ? 0 : (t[f] / 60) * minutes
      return sum
    }
    for (let hour = start; hour < end; hour += 3_600_000) {
      const t = this.hourTokens(hour, g, growth(hour))
      for (const f of Object.keys(sum) as Array<keyof Tokens>) sum[f] += t[f]
    }
    return sum
  }

  /** The still-filling day grows with every read; settled days do not. */
  private growth(): (hour: number) => number {
    const today = Math.floor(this.now() / WIDTHS['1d']) * WIDTHS['1d']
    return (hour) => (hour >= today ? 1 + this.todayReads : 1)
  }

  /** The buckets of one page: [start, end) pairs from the page position, at most `limit`. */
  private buckets(query: URLSearchParams, width: Width, limit: number): { spans: Array<[number, number]>; next: number | null } {
    const step = WIDTHS[width]
    const starting = parseInstant(query.get('starting_at'), 'starting_at')
    if (starting === undefined) throw new BadRequest('starting_at: Field required')
    const ending = parseInstant(query.get('ending_at'), 'ending_at')
    const first = Math.floor(starting / step) * step
    const page = query.get('page')
    let from = first
    if (page !== null) {
      const text = page.startsWith('page_') ? Buffer.from(page.slice(5).replace(/ /g, '+'), 'base64').toString('utf8') : ''
      const at = Date.parse(text)
      if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(at) || at < first || (at - first) % step !== 0)
        throw new BadRequest('page: Invalid page token')
      from = at
    }
    // Buckets end by `ending_at` (when given) and never start in the future.
    const end = ending ?? Number.POSITIVE_INFINITY
    const stop = Math.min(end, Math.ceil((this.now() + 1) / step) * step)
    const spans: Array<[number, number]> = []
    let at = from
    while (at < stop && at + step <= end && spans.length < limit) {
      spans.push([at, at + step])
      at += step
    }
    const more = at < stop && at + step <= end
    return { spans, next: more ? at : null }
  }

  private static page(next: number | null) {
    return next === null
      ? { has_more: false, next_page: null }
      : { has_more: true, next_page: `page_${Buffer.from(new Date(next).toISOString().replace('.000Z', 'Z')).toString('base64')}` }
  }

  private widthOf(query: URLSearchParams, allowed: readonly Width[]): Width {
    const raw = query.get('bucket_width') ?? '1d'
    if (!(allowed as readonly string[]).includes(raw))
      throw new BadRequest(`bucket_width: Input should be ${allowed.map((w) => `'${w}'`).join(' or ')}`)
    return raw as Width
  }

  private groupBy(query: URLSearchParams, allowed: readonly string[]): Set<string> {
    const groups = arrayParam(query, 'group_by')
    for (const g of groups)
      if (!allowed.includes(g)) throw new BadRequest(`group_by: Input should be ${allowed.map((a) => `'${a}'`).join(', ')}`)
    return new Set(groups)
  }

  /** GET /v1/organizations/usage_report/messages */
  messages(query: URLSearchParams): Record<string, unknown> {
    const width = this.widthOf(query, ['1d', '1h', '1m'])
    const [fallback, max] = LIMITS[width]
    const limit = parseLimit(query, fallback, max)
    const groups = this.groupBy(query, ['api_key_id', 'workspace_id', 'model', 'service_tier', 'context_window'])
    const models = arrayParam(query, 'models')
    const workspaceIds = arrayParam(query, 'workspace_ids')
    const keyIds = arrayParam(query, 'api_key_ids')
    const grains = this.grains().filter(
      (g) =>
        (models.length === 0 || models.includes(MODELS[g.model][0])) &&
        (workspaceIds.length === 0 || workspaceIds.includes(g.workspace)) &&
        (keyIds.length === 0 || keyIds.includes(g.apiKey)),
    )
    const { spans, next } = this.buckets(query, width, limit)
    const growth = this.growth()
    const today = Math.floor(this.now() / WIDTHS['1d']) * WIDTHS['1d']
    if (spans.some(([, end]) => end > today)) this.todayReads += 1
    const data = spans.map(([start, end]) => {
      const rows = new Map<string, { dims: Record<string, string | null>; t: Tokens }>()
      for (const g of grains) {
        const t = this.tokens(start, end, g, growth)
        if (t.uncached + t.output + t.cacheRead === 0) continue
        const dims = {
          api_key_id: groups.has('api_key_id') ? g.apiKey : null,
          workspace_id: groups.has('workspace_id') ? g.workspace : null,
          model: groups.has('model') ? MODELS[g.model][0] : null,
          service_tier: groups.has('service_tier') ? 'standard' : null,
          context_window: groups.has('context_window') ? '0-200k' : null,
        }
        const key = JSON.stringify(dims)
        const row = rows.get(key) ?? { dims, t: zero() }
        for (const f of Object.keys(row.t) as Array<keyof Tokens>) row.t[f] += t[f]
        rows.set(key, row)
      }
      return {
        starting_at: new Date(start).toISOString().replace('.000Z', 'Z'),
        ending_at: new Date(end).toISOString().replace('.000Z', 'Z'),
        results: [...rows.values()].map(({ dims, t }) => ({
          uncached_input_tokens: Math.round(t.uncached),
          cache_creation: { ephemeral_1h_input_tokens: Math.round(t.cache1h), ephemeral_5m_input_tokens: Math.round(t.cache5m) },
          cache_read_input_tokens: Math.round(t.cacheRead),
          output_tokens: Math.round(t.output),
          server_tool_use: { web_search_requests: Math.round(t.webSearch) },
          ...dims,
        })),
      }
    })
    return { data, ...UsageCostReports.page(next) }
  }

  /** GET /v1/organizations/cost_report: day buckets only, amounts as cent strings. */
  cost(query: URLSearchParams): Record<string, unknown> {
    const width = this.widthOf(query, ['1d'])
    const limit = parseLimit(query, 7, 31)
    const groups = this.groupBy(query, ['workspace_id', 'description'])
    const { spans, next } = this.buckets(query, width, limit)
    const growth = this.growth()
    const today = Math.floor(this.now() / WIDTHS['1d']) * WIDTHS['1d']
    if (spans.some(([, end]) => end > today)) this.todayReads += 1
    const data = spans.map(([start, end]) => {
      // Micro-cents as integers: sums stay exact, the string is cut at the end.
      const rows = new Map<string, { dims: Record<string, string | null>; micro: number }>()
      const add = (dims: Record<string, string | null>, micro: number) => {
        if (micro === 0) return
        const key = JSON.stringify(dims)
        const row = rows.get(key) ?? { dims, micro: 0 }
        row.micro += micro
        rows.set(key, row)
      }
      for (const g of this.grains()) {
        const t = this.tokens(start, end, g, growth)
        const [model, name, pIn, pOut, p5m, p1h, pRead] = MODELS[g.model]
        const counts = [t.uncached, t.output, t.cache5m, t.cache1h, t.cacheRead]
        const prices = [pIn, pOut, p5m, p1h, pRead]
        const described = groups.has('description')
        const workspace = groups.has('workspace_id') ? g.workspace : null
        TOKEN_TYPES.forEach(([tokenType, label], i) =>
          add(
            {
              workspace_id: workspace,
              description: described ? `${name} Usage - ${label}` : null,
              cost_type: described ? 'tokens' : null,
              model: described ? model : null,
              token_type: described ? tokenType : null,
              service_tier: described ? 'standard' : null,
              context_window: described ? '0-200k' : null,
            },
            Math.round(counts[i]) * prices[i],
          ),
        )
        add(
          {
            workspace_id: workspace,
            description: described ? 'Web Search' : null,
            cost_type: described ? 'web_search' : null,
            model: null,
            token_type: null,
            service_tier: null,
            context_window: null,
          },
          t.webSearch * 1_000_000,
        )
      }
      return {
        starting_at: new Date(start).toISOString().replace('.000Z', 'Z'),
        ending_at: new Date(end).toISOString().replace('.000Z', 'Z'),
        results: [...rows.values()].map(({ dims, micro }) => ({ currency: 'USD', amount: centString(micro), ...dims })),
      }
    })
    return { data, ...UsageCostReports.page(next) }
  }
}

/** Micro-cents → a cents decimal string without float drift: 123450000 → "123.45". */
export function centString(micro: number): string {
  const whole = Math.floor(micro / 1_000_000)
  const frac = String(micro % 1_000_000)
    .padStart(6, '0')
    .replace(/0+$/, '')
  return frac ? `${whole}.${frac}` : String(whole)
}
