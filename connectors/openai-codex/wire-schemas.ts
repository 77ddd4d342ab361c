/**
 * What the OpenAI Admin API answers on each endpoint this connector calls, as zod schemas written
 * from the API reference (cited per schema). Tests hold both the documented examples
 * (test/fixtures/openai-codex) and the simulator's bodies to them, so the two cannot drift apart.
 * Objects are strict: a field the reference does not list is a simulator inventing one.
 */
import { z } from 'zod'

/** Unix seconds, as every Admin API timestamp is. */
const unixSeconds = z.number().int().nonnegative()

/** `{object:"list", data, first_id, last_id, has_more}`; the ids are optional in the reference. */
const listPage = <T extends z.ZodType>(item: T) =>
  z.strictObject({
    object: z.literal('list'),
    data: z.array(item),
    first_id: z.string().nullable().optional(),
    last_id: z.string().nullable().optional(),
    has_more: z.boolean(),
  })

/**
 * The OrganizationUser object: `object, id, added_at` required, the rest optional.
 * https://developers.openai.com/api/reference/resources/admin/subresources/organization/subresources/users/methods/retrieve
 */
export const openaiUser = z.strictObject({
  object: z.literal('organization.user'),
  id: z.string(),
  added_at: unixSeconds,
  api_key_last_used_at: unixSeconds.nullable().optional(),
  created: unixSeconds.optional(),
  developer_persona: z.string().optional(),
  email: z.string().optional(),
  is_default: z.boolean().optional(),
  is_scale_tier_authorized_purchaser: z.boolean().optional(),
  is_scim_managed: z.boolean().optional(),
  is_service_account: z.boolean().optional(),
  name: z.string().optional(),
  projects: z
    .strictObject({
      object: z.literal('list'),
      data: z.array(z.strictObject({ id: z.string().optional(), name: z.string().optional(), role: z.string().optional() })),
    })
    .optional(),
  role: z.string().optional(),
  technical_level: z.string().optional(),
  user: z
    .strictObject({
      id: z.string(),
      object: z.literal('user'),
      banned: z.boolean().optional(),
      banned_at: unixSeconds.nullable().optional(),
      email: z.string().optional(),
      enabled: z.boolean().optional(),
      name: z.string().optional(),
      picture: z.string().optional(),
    })
    .optional(),
})

/** https://platform.openai.com/docs/api-reference/users/list */
export const openaiUserList = listPage(openaiUser)

/**
 * The Invite object. The send time is `created_at` in the current reference and `invited_at` in
 * older ones (exactly one of them is sent); `projects` is listed by both, optional in the older.
 * https://developers.openai.com/api/reference/cli/resources/admin/subresources/organization/subresources/invites
 * https://platform.openai.com/docs/api-reference/invite/object
 */
export const openaiInvite = z
  .strictObject({
    object: z.literal('organization.invite'),
    id: z.string(),
    email: z.string(),
    role: z.enum(['owner', 'reader']),
    status: z.enum(['accepted', 'expired', 'pending']),
    created_at: unixSeconds.optional(),
    invited_at: unixSeconds.optional(),
    expires_at: unixSeconds.nullable().optional(),
    accepted_at: unixSeconds.nullable().optional(),
    projects: z.array(z.strictObject({ id: z.string(), role: z.enum(['member', 'owner']) })).optional(),
  })
  .refine((invite) => (invite.created_at === undefined) !== (invite.invited_at === undefined), {
    message: 'an invite carries its send time as created_at or as invited_at',
  })

/** https://platform.openai.com/docs/api-reference/invite/list */
export const openaiInviteList = listPage(openaiInvite)

/**
 * The OrganizationProfile: the organization the Admin key is bound to. `name` is the slug,
 * `title` the display name.
 * https://developers.openai.com/api/reference/resources/admin/subresources/organization/methods/retrieve
 */
export const openaiOrganization = z.strictObject({
  object: z.literal('organization'),
  id: z.string(),
  created_at: unixSeconds,
  description: z.string().nullable(),
  name: z.string().nullable(),
  personal: z.boolean(),
  title: z.string().nullable(),
})

/**
 * The Project object: `id, created_at, object` required; `name` and `status` optional and
 * nullable in the current reference (required in older specs).
 * https://developers.openai.com/api/reference/resources/admin/subresources/organization/subresources/projects/methods/retrieve
 */
export const openaiProject = z.strictObject({
  object: z.literal('organization.project'),
  id: z.string(),
  created_at: unixSeconds,
  archived_at: unixSeconds.nullable().optional(),
  external_key_id: z.string().nullable().optional(),
  name: z.string().nullable().optional(),
  residency: z.string().optional(),
  status: z.string().nullable().optional(),
})

/** https://platform.openai.com/docs/api-reference/projects/list */
export const openaiProjectList = listPage(openaiProject)

/** A page of time buckets: `{object:"page", data:[bucket], has_more, next_page}` (usage and costs alike). */
const bucketPage = <T extends z.ZodType>(result: T) =>
  z.strictObject({
    object: z.literal('page'),
    data: z.array(
      z.strictObject({
        object: z.literal('bucket'),
        start_time: unixSeconds,
        end_time: unixSeconds,
        results: z.array(result),
      }),
    ),
    has_more: z.boolean(),
    next_page: z.string().nullable(),
  })

const tokenCount = z.number().int().nonnegative()

/**
 * One completions usage result: the token counts of a bucket, split by the `group_by` fields
 * (null when not grouped by them). `input_tokens` includes the cached ones.
 * https://platform.openai.com/docs/api-reference/usage/completions_object
 */
export const openaiCompletionsUsageResult = z.strictObject({
  object: z.literal('organization.usage.completions.result'),
  input_tokens: tokenCount,
  output_tokens: tokenCount,
  input_cached_tokens: tokenCount.optional(),
  input_audio_tokens: tokenCount.optional(),
  output_audio_tokens: tokenCount.optional(),
  num_model_requests: tokenCount,
  project_id: z.string().nullable().optional(),
  user_id: z.string().nullable().optional(),
  api_key_id: z.string().nullable().optional(),
  model: z.string().nullable().optional(),
  batch: z.boolean().nullable().optional(),
  service_tier: z.string().nullable().optional(),
})

/** https://platform.openai.com/docs/api-reference/usage/completions */
export const openaiCompletionsUsagePage = bucketPage(openaiCompletionsUsageResult)

/**
 * One costs result. `amount.value` is documented as a number (dollars) and seen as a decimal
 * string: both are accepted. `currency` is lower-case ISO-4217. The newer reference adds
 * `api_key_id` (a group_by field there) and `quantity`.
 * https://platform.openai.com/docs/api-reference/usage/costs_object
 * https://developers.openai.com/api/reference/cli/resources/admin/subresources/organization/subresources/usage/methods/costs
 */
export const openaiCostsResult = z.strictObject({
  object: z.literal('organization.costs.result'),
  amount: z
    .strictObject({
      value: z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]).optional(),
      currency: z.string().optional(),
    })
    .optional(),
  line_item: z.string().nullable().optional(),
  project_id: z.string().nullable().optional(),
  api_key_id: z.string().nullable().optional(),
  quantity: z.number().nullable().optional(),
})

/** https://platform.openai.com/docs/api-reference/usage/costs */
export const openaiCostsPage = bucketPage(openaiCostsResult)

/**
 * One row of the Codex Analytics API's usage endpoint: a day (or week) bucket of one user, or of
 * the workspace with `group=workspace`. OpenAI documents the contents (threads, turns, credits,
 * per-client usage, text input / cached input / output tokens; per-user rows unless
 * `group=workspace`; time-ordered `page` objects with `has_more` and `next_page`) but publishes
 * the field names only in the reference behind the ChatGPT admin login, so the names here are
 * those integrations are seen to read, with their variants: `user {id, email, name}` or flat
 * `user_id`/`user_email`, tokens nested under `tokens` or flat, credits a number or a decimal
 * string, the client breakdown as `clients` or `client_usage` naming `client` or `client_id`.
 * Loose on purpose (not strict): the shape is not published, so unknown fields are kept.
 * https://developers.openai.com/codex/enterprise/governance#analytics-api
 */
const count = z.number().nonnegative()
const credits = z.union([z.number().nonnegative(), z.string().regex(/^\d+(\.\d+)?$/)])
const codexClientUsage = z.looseObject({
  client: z.string().optional(),
  client_id: z.string().optional(),
  threads: count.optional(),
  turns: count.optional(),
  credits: credits.optional(),
})
export const codexAnalyticsUsageRow = z.looseObject({
  start_time: unixSeconds,
  end_time: unixSeconds,
  user: z
    .looseObject({ id: z.string().nullable().optional(), email: z.string().nullable().optional(), name: z.string().nullable().optional() })
    .nullable()
    .optional(),
  user_id: z.string().nullable().optional(),
  user_email: z.string().nullable().optional(),
  threads: count.optional(),
  turns: count.optional(),
  credits: credits.optional(),
  tokens: z.looseObject({ text_input: count.optional(), cached_input: count.optional(), output: count.optional() }).nullable().optional(),
  text_input_tokens: count.optional(),
  cached_input_tokens: count.optional(),
  output_tokens: count.optional(),
  clients: z.array(codexClientUsage).optional(),
  client_usage: z.array(codexClientUsage).optional(),
})

/** https://developers.openai.com/codex/enterprise/governance#analytics-api */
export const codexAnalyticsUsagePage = z.looseObject({
  object: z.literal('page').optional(),
  data: z.array(codexAnalyticsUsageRow),
  has_more: z.boolean(),
  next_page: z.string().nullable(),
})
