/**
 * What the Cursor Admin API answers on the endpoints the connector calls, as zod schemas written
 * from the docs (https://cursor.com/docs/account/teams/admin-api) and the variants real accounts
 * send. Tests check the documented examples (test/fixtures/cursor) and the simulator's bodies
 * against these, so neither can drift from the other unnoticed. Extra fields are allowed: Cursor
 * adds fields without notice.
 */
import { z } from 'zod'

const member = z.object({
  /** Present on the current page and in Airbyte's schema; absent on the older shapes. */
  id: z.number().int().optional(),
  name: z.string(),
  email: z.string(),
  role: z.string(),
  isRemoved: z.boolean().optional(),
})

/** GET /teams/members: `{teamMembers}` or, on the older docs page, the bare array. */
export const teamMembers = z.union([z.object({ teamMembers: z.array(member) }), z.array(member)])

const dollars = z.number().nonnegative().nullable()

/** POST /teams/spend */
export const teamSpend = z.object({
  teamMemberSpend: z.array(
    z.object({
      /** Numeric in the docs; `user_…` on real accounts. */
      userId: z.union([z.number().int(), z.string().regex(/^user_/)]),
      email: z.string(),
      name: z.string().optional(),
      role: z.string().optional(),
      spendCents: z.number().int().nonnegative(),
      fastPremiumRequests: z.number().int().nonnegative().optional(),
      hardLimitOverrideDollars: dollars.optional(),
      monthlyLimitDollars: dollars.optional(),
      effectivePerUserLimitDollars: dollars.optional(),
    }),
  ),
  subscriptionCycleStart: z.number().int(),
  totalMembers: z.number().int().nonnegative().optional(),
  totalPages: z.number().int().nonnegative(),
})

/** POST /teams/daily-usage-data (both forms; `pagination` only when page/pageSize were sent). */
export const dailyUsage = z.object({
  data: z.array(
    z.object({
      userId: z.number().int().optional(),
      email: z.string(),
      date: z.number().int(),
      day: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .optional(),
      isActive: z.boolean().optional(),
      totalLinesAdded: z.number().int(),
      mostUsedModel: z.string().nullable(),
      clientVersion: z.string().nullable(),
    }),
  ),
  period: z.object({ startDate: z.number().int(), endDate: z.number().int() }),
  pagination: z
    .object({
      page: z.number().int(),
      pageSize: z.number().int(),
      totalUsers: z.number().int(),
      totalPages: z.number().int(),
      hasNextPage: z.boolean(),
      hasPreviousPage: z.boolean(),
    })
    .optional(),
})

/**
 * POST /teams/filtered-usage-events. Two documented event shapes: the current page's (with
 * `isChargeable`, `isHeadless`, `chargedCents`, optional `cursorTokenFee` and
 * `tokenUsage.discountPercentOff`) and the older page's (none of those; `tokenUsage.totalCents`
 * is the only cost). `tokenUsage` only on token-based calls. Cents are fractional numbers.
 */
export const usageEvents = z.object({
  totalUsageEventsCount: z.number().int().nonnegative(),
  pagination: z.object({
    numPages: z.number().int().nonnegative(),
    currentPage: z.number().int().positive(),
    pageSize: z.number().int().positive(),
    hasNextPage: z.boolean(),
    hasPreviousPage: z.boolean(),
  }),
  usageEvents: z.array(
    z.object({
      timestamp: z.string().regex(/^\d+$/),
      userEmail: z.string(),
      model: z.string(),
      kind: z.string(),
      maxMode: z.boolean().optional(),
      requestsCosts: z.number().nonnegative().optional(),
      isTokenBasedCall: z.boolean(),
      isChargeable: z.boolean().optional(),
      isHeadless: z.boolean().optional(),
      tokenUsage: z
        .object({
          inputTokens: z.number().int().nonnegative(),
          outputTokens: z.number().int().nonnegative(),
          cacheWriteTokens: z.number().int().nonnegative(),
          cacheReadTokens: z.number().int().nonnegative(),
          totalCents: z.number().nonnegative(),
          discountPercentOff: z.number().optional(),
        })
        .optional(),
      chargedCents: z.number().nonnegative().optional(),
      cursorTokenFee: z.number().nonnegative().optional(),
      isFreeBugbot: z.boolean().optional(),
    }),
  ),
  period: z.object({ startDate: z.number().int(), endDate: z.number().int() }),
})
