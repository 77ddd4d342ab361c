/**
 * The organization's completions usage and costs, as time-bucketed pages. Every active member
 * (same user ids as /organization/users) uses one or two models on some days, all of a day's
 * use falling in one minute of it, so daily, hourly and per-minute buckets add up to the same
 * totals. Costs are priced from that same usage, per project and line item.
 *
 * Use shows up USAGE_LAG_S after it happens: the current bucket (today's, this hour's) holds what
 * has arrived so far and grows between two reads, the restatement clients must expect.
 * https://platform.openai.com/docs/api-reference/usage/completions
 * https://platform.openai.com/docs/api-reference/usage/costs
 */
import { hash32 } from '../../../src/sandbox/simulator-kit'
import { PROJECT_NAMES, type OpenAIWorld } from './data'
import { arrayParam, BadRequest, parseLimit } from './params'

const DAY = 86_400
/** Seconds before a request's use is reported (the simulator's choice: OpenAI documents no figure). */
export const USAGE_LAG_S = 300
const WIDTHS = { '1m': 60, '1h': 3600, '1d': DAY } as const
type Width = keyof typeof WIDTHS
/** Buckets per page by width: [default, max], as the reference documents. */
const USAGE_LIMITS: Record<Width, [number, number]> = { '1d': [7, 31], '1h': [24, 168], '1m': [60, 1440] }
const COST_LIMITS: [number, number] = [7, 180]
const USAGE_GROUPS = ['project_id', 'user_id', 'api_key_id', 'model', 'batch', 'service_tier']
const COST_GROUPS = ['project_id', 'line_item']
/** Models and their price in micro-dollars per thousand tokens: [input, cached input, output]. */
const MODELS: Record<string, [number, number, number]> = {
  'gpt-5-codex': [1250, 125, 10_000],
  'gpt-5-mini': [250, 25, 2000],
  'gpt-4.1': [2000, 500, 8000],
}
const MODEL_NAMES = Object.keys(MODELS)

/** One member's use of one model on one day (at one minute of it). */
interface UsageEvent {
  at: number
  user_id: string
  model: string
  project_id: string
  api_key_id: string
  input: number
  cached: number
  output: number
  requests: number
}

/** The events of the UTC day starting at `day`: about 60% of members are active on a day. */
function eventsOfDay(world: OpenAIWorld, day: number): UsageEvent[] {
  const seed = world.options.seed
  const dayIndex = Math.floor(day / DAY)
  const events: UsageEvent[] = []
  for (let i = 0; i < world.userCount; i++) {
    const h = hash32(seed ^ 0x55534147, dayIndex * 7919 + i)
    if (h % 100 >= 60) continue
    const models = h % 3 === 0 ? 2 : 1
    for (let m = 0; m < models; m++) {
      const r = hash32(h, m)
      const input = 2000 + (r % 200_000)
      events.push({
        at: day + ((r >>> 8) % 1440) * 60,
        user_id: world.users.idOf(i),
        model: MODEL_NAMES[(i + m) % MODEL_NAMES.length],
        project_id: world.projects.idOf((i + m) % PROJECT_NAMES.length),
        api_key_id: `key_${world.users.idOf(i).slice(5, 21)}`,
        input,
        cached: Math.floor(input * (((r >>> 4) % 60) / 100)),
        output: Math.floor(input / (3 + ((r >>> 12) % 5))),
        requests: 1 + ((r >>> 16) % 80),
      })
    }
  }
  return events
}

function integerParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name)
  if (raw === null) return undefined
  if (!/^\d+$/.test(raw.trim()))
    throw new BadRequest(`Invalid '${name}': expected an integer, but got '${raw}' instead.`, name, 'invalid_type')
  return Number(raw)
}

function groupsParam(query: URLSearchParams, allowed: string[]): string[] {
  const groups = arrayParam(query, 'group_by')
  for (const g of groups) {
    if (!allowed.includes(g))
      throw new BadRequest(
        `Invalid 'group_by': '${g}' is not one of ${allowed.map((a) => `'${a}'`).join(', ')}.`,
        'group_by',
        'invalid_value',
      )
  }
  return groups
}

/** The page cursor: the start of the next bucket, opaque to clients. */
const encodePage = (at: number) => `page_${Buffer.from(`bucket:${at}`).toString('base64')}`
function decodePage(page: string | null): number | undefined {
  if (page === null) return undefined
  const m = /^bucket:(\d+)$/.exec(page.startsWith('page_') ? Buffer.from(page.slice(5), 'base64').toString() : '')
  if (!m) throw new BadRequest(`Invalid 'page': '${page}' is not a valid page cursor.`, 'page')
  return Number(m[1])
}

/** The buckets of one page: [start, end) each, from the cursor or `start_time`, at most `limit`, never past `end_time` or now. */
function bucketsOf(
  query: URLSearchParams,
  width: number,
  [fallback, max]: [number, number],
  now: number,
): { starts: number[]; next: number | null } {
  const start = integerParam(query, 'start_time')
  if (start === undefined) throw new BadRequest("Missing required parameter: 'start_time'.", 'start_time', 'missing_required_parameter')
  const end = Math.min(integerParam(query, 'end_time') ?? Infinity, Math.ceil(now / width) * width)
  if (end <= start) throw new BadRequest("Invalid 'end_time': it must be after 'start_time'.", 'end_time', 'invalid_value')
  const limit = parseLimit(query, fallback, max)
  // Buckets are aligned to the width, the first one holding start_time.
  let at = decodePage(query.get('page')) ?? Math.floor(start / width) * width
  const starts: number[] = []
  while (at < end && starts.length < limit) {
    starts.push(at)
    at += width
  }
  return { starts, next: at < end ? at : null }
}

function widthParam(query: URLSearchParams, allowed: Width[]): Width {
  const raw = query.get('bucket_width') ?? '1d'
  if (!(allowed as string[]).includes(raw))
    throw new BadRequest(
      `Invalid 'bucket_width': expected one of ${allowed.map((w) => `'${w}'`).join(', ')}, but got '${raw}' instead.`,
      'bucket_width',
      'invalid_value',
    )
  return raw as Width
}

/** The events of [from, to) reported by `now`: whole days generated, then cut to the range. */
function eventsBetween(world: OpenAIWorld, from: number, to: number, now: number): UsageEvent[] {
  const until = Math.min(to, now - USAGE_LAG_S)
  const out: UsageEvent[] = []
  for (let day = Math.floor(from / DAY) * DAY; day < until; day += DAY)
    out.push(...eventsOfDay(world, day).filter((e) => e.at >= from && e.at < until))
  return out
}

/** Rows summed per distinct value of the grouped fields; fields not grouped are null. */
function grouped<T extends Record<string, unknown>>(
  rows: T[],
  groups: string[],
  dims: string[],
  sum: (into: Record<string, number>, row: T) => void,
): Array<{ key: Record<string, unknown>; totals: Record<string, number> }> {
  const out = new Map<string, { key: Record<string, unknown>; totals: Record<string, number> }>()
  for (const row of rows) {
    const key = Object.fromEntries(dims.map((d) => [d, groups.includes(d) ? (row[d] ?? null) : null]))
    const id = JSON.stringify(key)
    let entry = out.get(id)
    if (!entry) out.set(id, (entry = { key, totals: {} }))
    sum(entry.totals, row)
  }
  return [...out.values()]
}

const add = (into: Record<string, number>, name: string, n: number) => {
  into[name] = (into[name] ?? 0) + n
}

/** `now` in unix seconds. */
export function completionsUsagePage(world: OpenAIWorld, q: URLSearchParams, now: number) {
  const widthName = widthParam(q, ['1m', '1h', '1d'])
  const width = WIDTHS[widthName]
  const groups = groupsParam(q, USAGE_GROUPS)
  const { starts, next } = bucketsOf(q, width, USAGE_LIMITS[widthName], now)
  const filters: Array<[keyof UsageEvent, string[]]> = [
    ['user_id', arrayParam(q, 'user_ids')],
    ['model', arrayParam(q, 'models')],
    ['project_id', arrayParam(q, 'project_ids')],
    ['api_key_id', arrayParam(q, 'api_key_ids')],
  ]
  const data = starts.map((start) => {
    const events = eventsBetween(world, start, start + width, now).filter((e) =>
      filters.every(([f, v]) => v.length === 0 || v.includes(String(e[f]))),
    )
    const rows = events.map((e) => ({ ...e, batch: false, service_tier: 'default' }))
    const results = grouped(rows, groups, USAGE_GROUPS, (t, e) => {
      add(t, 'input', e.input)
      add(t, 'cached', e.cached)
      add(t, 'output', e.output)
      add(t, 'requests', e.requests)
    }).map(({ key, totals }) => ({
      object: 'organization.usage.completions.result' as const,
      input_tokens: totals.input,
      output_tokens: totals.output,
      input_cached_tokens: totals.cached,
      input_audio_tokens: 0,
      output_audio_tokens: 0,
      num_model_requests: totals.requests,
      ...key,
    }))
    return { object: 'bucket' as const, start_time: start, end_time: start + width, results }
  })
  return { object: 'page' as const, data, has_more: next !== null, next_page: next === null ? null : encodePage(next) }
}

/** Micro-dollars as a decimal text of dollars ("1.234567"), or as that number when asked. */
function dollars(micros: number, as: 'string' | 'number'): string | number {
  const text = `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`
  return as === 'number' ? Number(text) : text
}

/** `valueAs`: OpenAI documents `amount.value` as a number and sends it as a string; the simulator does either. */
export function costsPage(world: OpenAIWorld, q: URLSearchParams, now: number, valueAs: 'string' | 'number') {
  widthParam(q, ['1d'])
  const groups = groupsParam(q, COST_GROUPS)
  const projects = arrayParam(q, 'project_ids')
  const { starts, next } = bucketsOf(q, DAY, COST_LIMITS, now)
  const data = starts.map((start) => {
    const lines = eventsBetween(world, start, start + DAY, now)
      .filter((e) => projects.length === 0 || projects.includes(e.project_id))
      .flatMap((e) => {
        const [inPrice, cachedPrice, outPrice] = MODELS[e.model]
        return [
          {
            project_id: e.project_id,
            line_item: `${e.model}, input`,
            micros: Math.round(((e.input - e.cached) * inPrice + e.cached * cachedPrice) / 1000),
          },
          { project_id: e.project_id, line_item: `${e.model}, output`, micros: Math.round((e.output * outPrice) / 1000) },
        ]
      })
    const results = grouped(lines, groups, COST_GROUPS, (t, l) => add(t, 'micros', l.micros)).map(({ key, totals }) => ({
      object: 'organization.costs.result' as const,
      amount: { value: dollars(totals.micros, valueAs), currency: 'usd' },
      ...key,
    }))
    return { object: 'bucket' as const, start_time: start, end_time: start + DAY, results }
  })
  return { object: 'page' as const, data, has_more: next !== null, next_page: next === null ? null : encodePage(next) }
}
