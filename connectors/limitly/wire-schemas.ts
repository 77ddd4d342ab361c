/**
 * What the Limitly REST API answers on the endpoints the connector calls, as zod schemas written
 * from the docs (https://docs.limitly.dev/rest-api/users) and the SDK's types (limitlydev/
 * limitly-js `src/types/index.ts`: `ApiResponse` adds `success`, `User` an optional inline plan).
 * Tests check the documented examples (test/fixtures/limitly) and the simulator's bodies against
 * these. Extra fields are allowed.
 */
import { z } from 'zod'

const timestamp = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/)

const plan = z.object({
  id: z.string(),
  name: z.string(),
  max_requests: z.number().int().nonnegative(),
  request_period: z.enum(['day', 'week', 'month', 'year']),
  is_active: z.boolean().optional(),
})

const userRecord = z.object({
  user_id: z.number().int(),
  name: z.string(),
  email: z.string().optional(),
  is_disabled: z.boolean(),
  created_at: timestamp,
  updated_at: timestamp,
  custom_start: timestamp.optional(),
  plan: plan.optional(),
})

/** `success` is the SDK's envelope; the docs leave it out. */
const success = z.literal(true).optional()

/** GET /users */
export const teamUsers = z.object({ success, data: z.array(userRecord), count: z.number().int().nonnegative() })

/** GET /users/{id} */
export const user = z.object({ success, data: userRecord })

/** GET /users/{id}/usage: the docs' fields; the SDK's `UserUsage` makes most optional and adds the period. */
export const userUsage = z.object({
  success,
  data: z.object({
    type: z.literal('user'),
    current_usage: z.number().int().nonnegative().optional(),
    limit: z.number().int().nonnegative().optional(),
    percentage_used: z.number().nonnegative().optional(),
    user_name: z.string(),
    plan_name: z.string().optional(),
    period_start: timestamp.optional(),
    period_end: timestamp.optional(),
    is_unlimited: z.boolean().optional(),
  }),
})
