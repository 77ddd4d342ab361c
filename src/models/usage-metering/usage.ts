/**
 * `usage-metering/usage`: who used which AI tool, how much, and what it cost, one row per vendor
 * bucket (a day, an hour) and the dimensions the vendor reports it by (user, model, workspace…).
 * List only: usage rows have no vendor get endpoint, and a row is only meaningful inside the
 * window it was listed for.
 */
import { z } from '@hono/zod-openapi'
import type { UnifiedResource } from '../model-registry'
import { usageGroupRowSchema } from './usage-aggregates'

const count = (description: string) => z.number().nullable().openapi({ description })

const idName = z.object({ id: z.string().nullable(), name: z.string().nullable() })

/** Every charge type of the contract; a vendor line that fits none is left to `remote_data`. */
export const CHARGE_TYPES = [
  'total',
  'net',
  'on_demand',
  'committed',
  'included',
  'usage_based',
  'discount',
  'tax',
  'credit',
  'platform_fee',
] as const

const charge = z.object({
  amount: z.number().nullable().openapi({
    description:
      'In the smallest unit of `currency` (cents for USD), as a number that may carry a fraction: AI usage costs are often a fraction of a cent ("123.45" cents is $1.2345). Vendors reporting major units (OpenAI dollars) are converted by shifting the decimal point of the text they send, never by float arithmetic.',
    example: 123.45,
  }),
  currency: z.string().nullable().openapi({
    description: 'ISO 4217 code as the vendor states it (upper case). Null when the vendor does not say: never guessed.',
    example: 'USD',
  }),
  type: z.enum(CHARGE_TYPES).nullable().openapi({ description: 'What the amount is.' }),
})

const tokens = z
  .object({
    input: count('Input tokens billed at the base input rate: neither read from nor written to a prompt cache.'),
    output: count('Output tokens (reasoning tokens included where the vendor counts them as output).'),
    cache_read: count('Input tokens read from a prompt cache.'),
    cache_creation: count('Input tokens written to a prompt cache (all cache lifetimes together).'),
  })
  .openapi({ description: 'Token counts. The input a model saw is input + cache_read + cache_creation.' })

const requests = z
  .object({
    total: count('All requests in the bucket.'),
    chat: count('Chat requests.'),
    agent: count('Agent requests.'),
    composer: count('Composer requests (e.g. Cursor).'),
    cmdk: count('Inline edit requests (e.g. Cursor Cmd+K).'),
    tab_shown: count('Tab completions shown.'),
    tab_accepted: count('Tab completions accepted.'),
    api_key: count('Requests made with the user’s own API key.'),
    included: count('Requests covered by the plan.'),
    usage_based: count('Requests billed on usage.'),
    bugbot: count('Code review bot requests (e.g. Cursor Bugbot).'),
  })
  .openapi({ description: 'Request counts.' })

const sessions = z
  .object({
    distinct: count('Distinct sessions (e.g. Claude Code sessions).'),
  })
  .openapi({ description: 'Session counts.' })

const toolActions = z
  .object({ accepted: count('Proposals of the tool accepted.'), rejected: count('Proposals of the tool rejected.') })
  .openapi({ description: 'Accept/reject counts of one tool.' })

const code = z
  .object({
    lines_added: count('Lines of code added.'),
    lines_removed: count('Lines of code removed.'),
    accepted_lines_added: count('Lines added by accepted suggestions.'),
    accepted_lines_removed: count('Lines removed by accepted suggestions.'),
    accepts: count('Suggestions accepted.'),
    rejects: count('Suggestions rejected.'),
    applies: count('Suggestions applied.'),
    commits: count('Commits made by the tool.'),
    pull_requests: count('Pull requests opened by the tool.'),
    tool_actions: z
      .record(z.string(), toolActions)
      .nullable()
      .openapi({ description: 'Per-tool accept/reject counts, keyed by the vendor’s tool name (e.g. Claude Code’s `edit_tool`).' }),
  })
  .openapi({ description: 'Code activity.' })

const activity = z
  .object({
    is_active: z.boolean().nullable().openapi({ description: 'Whether the user was active in the bucket.' }),
    client_version: z.string().nullable().openapi({ description: 'Version of the client used.' }),
    max_mode: z.boolean().nullable().openapi({ description: 'Whether a maximum-context mode was used (e.g. Cursor Max mode).' }),
  })
  .openapi({ description: 'Activity of a person in the bucket.' })

export const usageMeteringUsageSchema = z
  .object({
    id: z.string().openapi({
      description:
        'Stable identifier: derived from the bucket and its dimensions, so the same bucket always has the same id (a restated bucket keeps its id).',
      example: 'usg_2k7f0c1x9q4m1',
    }),
    product: idName.nullable().openapi({ description: 'The product used (e.g. `claude_code`, `api`).' }),
    metric_name: z.string().nullable().openapi({ description: 'Name of the metric being charged for.' }),
    resources: z
      .array(z.object({ id: z.string().nullable(), name: z.string().nullable(), workspace: idName.nullable() }))
      .nullable()
      .openapi({ description: 'Resources the usage belongs to (API keys, projects…), with their workspace.' }),
    organization: idName.nullable().openapi({ description: 'The organization the usage belongs to.' }),
    user: z
      .object({ id: z.string().nullable(), email: z.string().nullable(), name: z.string().nullable() })
      .nullable()
      .openapi({ description: 'The person the vendor attributes the row to; null for organization-level or aggregated rows.' }),
    model: z
      .object({ id: z.string().nullable(), provider: z.string().nullable() })
      .nullable()
      .openapi({ description: 'The AI model (e.g. `claude-sonnet-4-6`, `gpt-5`) and its provider (`anthropic`, `openai`…).' }),
    surface: z.string().nullable().openapi({
      description: 'The product surface of the row (`chat`, `claude_code`, `composer`, `api`…); null for rows aggregated across surfaces.',
      example: 'claude_code',
    }),
    charges: z.array(charge).nullable().openapi({ description: 'What the usage cost.' }),
    usage: z
      .object({
        quantity: count('A generic quantity, for metrics that fit none of the groups below.'),
        unit: z.string().nullable().openapi({ description: 'The unit of `quantity` (e.g. `GB`, `request`, `hour`).' }),
        tokens: tokens.nullable(),
        requests: requests.nullable(),
        sessions: sessions.nullable(),
        code: code.nullable(),
        activity: activity.nullable(),
      })
      .nullable()
      .openapi({ description: 'What was used.' }),
    start_date: z.string().nullable().openapi({ description: 'Start of the bucket (inclusive), ISO-8601 UTC.' }),
    end_date: z.string().nullable().openapi({ description: 'End of the bucket (exclusive), ISO-8601 UTC.' }),
    created_at: z.string().nullable().openapi({ description: 'When the vendor created the usage data, ISO-8601 UTC.' }),
    updated_at: z.string().nullable().openapi({ description: 'When the vendor last changed the usage data, ISO-8601 UTC.' }),
    remote_data: z.record(z.string(), z.unknown()).nullable().openapi({ description: 'Raw data returned from the remote API call.' }),
  })
  .openapi('UsageMeteringUsage')

export type UsageMeteringUsage = z.infer<typeof usageMeteringUsageSchema>

/** `a` / `a,b` / `x[]=a&x[]=b` → ['a', 'b']. */
const idList = (description: string) =>
  z
    .union([z.string().max(2000), z.array(z.string().max(200)).max(100)])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
    .optional()
    .openapi({ type: 'array', items: { type: 'string' }, description })

const ISO_DAY_OR_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/

const isoInstant = (description: string) =>
  z
    .string()
    .regex(ISO_DAY_OR_TIME, 'must be ISO-8601: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ')
    .refine((v) => Number.isFinite(Date.parse(v)), 'is not a real date')
    .optional()
    .openapi({ description, example: '2026-11-01' })

/**
 * Truto's group-by dimensions, plus the two Anthropic and OpenAI also group by, and `day` (the
 * UTC day a bucket starts on), which the super-query's aggregates add (usage-groups.ts).
 */
export const USAGE_GROUP_BY = ['product', 'surface', 'model', 'user', 'charge_type', 'token_type', 'workspace', 'api_key', 'day'] as const

export const usageListParams = z.object({
  start_date: isoInstant('Start of the period, inclusive (ISO-8601 date or date-time, UTC). The default is per vendor.'),
  end_date: isoInstant('End of the period, exclusive (ISO-8601 date or date-time, UTC). The default is per vendor.'),
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD')
    .optional()
    .openapi({
      description:
        'One UTC day (YYYY-MM-DD), for vendors that report by day: Claude defaults to three days ago, OpenAI Codex to yesterday. Give either date or start_date/end_date.',
      example: '2026-11-19',
    }),
  report_type: z
    .string()
    .regex(/^[a-z_]{1,40}$/, 'report_type is a lower-case name such as usage or cost')
    .optional()
    .openapi({
      description:
        'Which vendor report serves the list. Claude: activity (default without a period), usage (default with a period), cost; OpenAI Codex: usage (default), cost, activity (per-user daily Codex use, with a Codex Analytics key). A value the vendor lacks answers 400 naming the ones it has.',
      example: 'usage',
    }),
  user_ids: idList('Only usage of these users (vendor user ids).'),
  model_ids: idList('Only usage of these models.'),
  product_ids: idList('Only usage of these products.'),
  surfaces: idList('Only usage of these surfaces.'),
  group_by: z
    .union([z.enum(USAGE_GROUP_BY), z.array(z.enum(USAGE_GROUP_BY)).max(10)])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .optional()
    .openapi({
      type: 'array',
      items: { type: 'string', enum: [...USAGE_GROUP_BY] },
      description: 'Dimensions to split rows by (Anthropic’s name group_by[]); what a vendor can group by is listed in its 400.',
    }),
  bucket_width: z
    .enum(['day', 'hour', 'minute'])
    .optional()
    .openapi({ description: 'Bucket size (Anthropic’s name; its 1d/1h/1m). Default per vendor, usually day.' }),
  order_by: z.string().max(60).optional().openapi({ description: 'Field to sort by where the vendor sorts (Anthropic’s name).' }),
  order: z.enum(['asc', 'desc']).optional().openapi({ description: 'Sort direction (Anthropic’s name).' }),
  exclude_deleted_users: z
    .enum(['true', 'false', '1', '0'])
    .transform((v) => v === 'true' || v === '1')
    .optional()
    .openapi({ type: 'boolean', description: 'Leave out users deleted since (Anthropic’s name).' }),
})

/**
 * Days an incremental sync re-reads before its watermark. Vendors restate recent buckets: Claude
 * Code's report settles within about three days (hence Claude's default `date`), cost reports are
 * revised while invoices settle. A week covers both with margin at a small cost (a day is one
 * vendor request per page of users).
 */
export const USAGE_LOOKBACK_DAYS = 7

export const usageMeteringUsage: UnifiedResource = {
  model: 'usage-metering',
  resource: 'usage',
  description: 'Usage and cost per bucket (day, hour) and dimension (user, model, workspace), in one shape whatever the vendor.',
  schema: usageMeteringUsageSchema,
  listParams: usageListParams,
  timestampFields: ['start_date', 'end_date', 'created_at', 'updated_at'],
  // The copy is filtered by the live list's own parameters too (user e-mail: user.email=…).
  filterable: {
    equals: ['surface', 'model.id', 'product.id', 'user.id'],
    emails: 'user.email',
    ranges: ['start_date', 'end_date'],
    lists: { surfaces: 'surface', model_ids: 'model.id', product_ids: 'product.id', user_ids: 'user.id' },
    period: { field: 'start_date', start: 'start_date', end: 'end_date' },
  },
  aggregates: usageGroupRowSchema,
  methods: ['list'],
  key: ['id'],
  // Vendors do not say when a usage row last changed (restatements come unannounced).
  changedAtField: null,
  sync: { mode: 'window', startField: 'start_date', endField: 'end_date', lookbackDays: USAGE_LOOKBACK_DAYS },
}
