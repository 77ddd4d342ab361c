/**
 * The rows a super-query over usage answers with when it aggregates (`group_by[]`), or joins a
 * tenant's people (`tenant_id`): documented here once, for OpenAPI and the README.
 */
import { z } from '@hono/zod-openapi'

const chargeTotal = z.object({
  amount: z.union([z.number(), z.string()]).openapi({
    description:
      'The exact sum of the charges of this currency and type, in the unit of the records’ amounts; text when the records gave text, so no digits are lost.',
  }),
  currency: z.string().nullable().openapi({ description: 'ISO 4217 code as the vendor gave it; null when it gave none (never guessed).' }),
  type: z.string().nullable().openapi({ description: 'Charge type (total, net, tax, …); a total never adds different types together.' }),
})

const counts = z.record(z.string(), z.number())

export const usageTotalsShape = {
  charges: z.array(chargeTotal).openapi({ description: 'One entry per currency and charge type: currencies are never mixed.' }),
  usage: z
    .object({
      tokens: counts.openapi({ description: 'Sums of usage.tokens, per token field (input, output, cache_read, cache_creation).' }),
      requests: counts.openapi({ description: 'Sums of usage.requests, per request field.' }),
    })
    .openapi({ description: 'Counts that add up across records. Sessions and activity flags do not, and are not summed.' }),
  record_count: z.number().int().openapi({ description: 'Usage records summed.' }),
  active_days: z.number().int().openapi({ description: 'Distinct UTC days among the records’ start_date.' }),
  start_date: z.string().nullable().openapi({ description: 'Earliest bucket start of the records.' }),
  end_date: z.string().nullable().openapi({ description: 'Latest bucket end of the records.' }),
}

const accountTotals = z.object({
  integrated_account_id: z.string(),
  integration: z.string().openapi({ example: 'claude' }),
  ...usageTotalsShape,
})

const seat = z
  .object({
    integrated_account_id: z.string(),
    integration: z.string().openapi({ example: 'cursor' }),
    user_id: z.string().openapi({ description: 'The user’s id at the vendor.' }),
    name: z.string().nullable(),
    email: z.string().nullable(),
    status: z.string().nullable(),
    roles: z.array(z.string()),
    last_active_at: z.string().nullable(),
  })
  .openapi('UsagePersonSeat')

export const usageGroupRowSchema = z
  .object({
    id: z.string().openapi({
      description: 'The group’s keys, in group_by order, joined by | (a person’s key is their lower-cased e-mail).',
      example: 'ada@example.com|claude-sonnet-4-5',
    }),
    user: z.object({ id: z.string().nullable(), email: z.string().nullable(), name: z.string().nullable() }).nullable().optional().openapi({
      description: 'group_by user: the person (null: usage no vendor attributes to a person). id is null when vendors differ.',
    }),
    product: z.object({ id: z.string().nullable(), name: z.string().nullable() }).nullable().optional(),
    model: z.object({ id: z.string(), provider: z.string().nullable() }).nullable().optional(),
    surface: z.string().nullable().optional(),
    charge_type: z.string().nullable().optional().openapi({ description: 'group_by charge_type: the row holds only these charges.' }),
    token_type: z.string().nullable().optional().openapi({ description: 'group_by token_type: the row holds only this token count.' }),
    day: z.string().nullable().optional().openapi({
      description: 'group_by day: the UTC day (YYYY-MM-DD) the records’ buckets start on; null for records without a start_date.',
    }),
    ...usageTotalsShape,
    by_account: z
      .array(accountTotals)
      .optional()
      .openapi({ description: 'With tenant_id: the same totals per integrated account (vendor) of the tenant.' }),
    seats: z.array(seat).optional().openapi({
      description:
        'group_by user alone: the person’s seats, from the users copies. Seat holders without usage are rows too, with zero totals.',
    }),
  })
  .openapi('UsageGroupRow')

export type UsageGroupRow = z.infer<typeof usageGroupRowSchema>
