/**
 * What GitHub sends, per endpoint the connector (or its simulator) speaks, written from the
 * REST API reference for version 2022-11-28 (schemas "Copilot Business Seat Detail", "Simple
 * User", "Team", "Enterprise Team", "Organization Simple", "Basic Error"):
 * https://docs.github.com/en/rest/copilot/copilot-user-management?apiVersion=2022-11-28
 * Tests validate the documented examples (test/fixtures/github-copilot) and the simulator's
 * bodies against these, so simulator and vendor cannot drift apart silently. Where the documented
 * example and the schema disagree, the example wins (it is what GitHub shows real answers to be):
 * noted at each place.
 */
import { z } from 'zod'

const dateTime = z.iso.datetime({ offset: true })
const nullableString = z.string().nullable()

/** "Simple User" (the seat's assignee). */
export const simpleUserSchema = z.looseObject({
  name: nullableString.optional(),
  email: nullableString.optional(),
  login: z.string(),
  id: z.number().int(),
  node_id: z.string(),
  avatar_url: z.string(),
  gravatar_id: nullableString,
  url: z.string(),
  html_url: z.string(),
  followers_url: z.string(),
  following_url: z.string(),
  gists_url: z.string(),
  starred_url: z.string(),
  subscriptions_url: z.string(),
  organizations_url: z.string(),
  repos_url: z.string(),
  events_url: z.string(),
  received_events_url: z.string(),
  type: z.string(),
  site_admin: z.boolean(),
  starred_at: z.string().optional(),
  user_view_type: z.string().optional(),
})

const teamType = z.enum(['enterprise', 'organization'])

/** "Team Simple" (a team's parent). */
const teamSimpleSchema = z.looseObject({
  id: z.number().int(),
  node_id: z.string(),
  url: z.string(),
  members_url: z.string(),
  name: z.string(),
  description: nullableString,
  permission: z.string(),
  privacy: z.string().optional(),
  notification_setting: z.string().optional(),
  html_url: z.string(),
  repositories_url: z.string(),
  slug: z.string(),
  ldap_dn: z.string().optional(),
  type: teamType.optional(),
  organization_id: z.number().int().optional(),
  enterprise_id: z.number().int().optional(),
})

/**
 * "Team". The schema requires `type`, but the documented seat examples leave it out: optional
 * here, as GitHub's own examples show it.
 */
export const teamSchema = teamSimpleSchema.extend({
  permissions: z
    .object({ pull: z.boolean(), triage: z.boolean(), push: z.boolean(), maintain: z.boolean(), admin: z.boolean() })
    .optional(),
  parent: teamSimpleSchema.nullable(),
})

/** "Enterprise Team" (a seat granted through an enterprise team). */
export const enterpriseTeamSchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  description: z.string().optional(),
  slug: z.string(),
  url: z.string(),
  sync_to_organizations: z.string().optional(),
  organization_selection_type: z.string().optional(),
  group_id: nullableString,
  group_name: nullableString.optional(),
  html_url: z.string(),
  members_url: z.string(),
  created_at: dateTime,
  updated_at: dateTime,
  notification_setting: z.enum(['notifications_enabled', 'notifications_disabled']).optional(),
})

/** "Organization Simple" (the organization a seat belongs to). */
export const organizationSimpleSchema = z.looseObject({
  login: z.string(),
  id: z.number().int(),
  node_id: z.string(),
  url: z.string(),
  repos_url: z.string(),
  events_url: z.string(),
  hooks_url: z.string(),
  issues_url: z.string(),
  members_url: z.string(),
  public_members_url: z.string(),
  avatar_url: z.string(),
  description: nullableString,
})

/** "Copilot Business Seat Detail": only `created_at` is required, and nothing else may appear. */
export const seatSchema = z.strictObject({
  assignee: simpleUserSchema.nullable().optional(),
  organization: organizationSimpleSchema.nullable().optional(),
  assigning_team: z.union([teamSchema, enterpriseTeamSchema]).nullable().optional(),
  pending_cancellation_date: z.iso.date().nullable().optional(),
  last_activity_at: dateTime.nullable().optional(),
  last_activity_editor: nullableString.optional(),
  last_authenticated_at: dateTime.nullable().optional(),
  created_at: dateTime,
  /** Closing down: present in examples, never relied on. */
  updated_at: dateTime.optional(),
  plan_type: z.enum(['business', 'enterprise', 'unknown']).optional(),
})

/** GET /orgs/{org}/copilot/billing/seats */
export const listSeatsSchema = z.object({
  total_seats: z.number().int().optional(),
  seats: z.array(seatSchema).optional(),
})

/** GET /orgs/{org}/members/{username}/copilot */
export const getSeatSchema = seatSchema

/** "Basic Error": every 4xx/5xx body (`status` is a string when present). */
export const basicErrorSchema = z.object({
  message: z.string().optional(),
  documentation_url: z.string().optional(),
  url: z.string().optional(),
  status: z.string().optional(),
})

/**
 * GET /organizations/{org}/settings/billing/premium_request/usage: one item per model for the
 * period asked for; `user`, `model`, `product` echo the filters sent. Quantities are fractional
 * (a model may count a third of a request), amounts are US dollars.
 */
export const premiumRequestUsage = z.object({
  timePeriod: z.object({ year: z.number().int(), month: z.number().int().optional(), day: z.number().int().optional() }),
  organization: z.string(),
  user: z.string().optional(),
  model: z.string().optional(),
  product: z.string().optional(),
  usageItems: z.array(
    z.object({
      product: z.string(),
      sku: z.string(),
      model: z.string().optional(),
      unitType: z.string(),
      pricePerUnit: z.number(),
      grossQuantity: z.number(),
      grossAmount: z.number(),
      discountQuantity: z.number(),
      discountAmount: z.number(),
      netQuantity: z.number(),
      netAmount: z.number(),
    }),
  ),
})

/** GET /orgs/{org}/copilot/metrics/reports/users-1-day: signed links to the day's report files. */
export const usageReportLinks = z.object({
  download_links: z.array(z.string().url()),
  report_day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
})

const activityCounts = {
  code_acceptance_activity_count: z.number().int().nonnegative(),
  code_generation_activity_count: z.number().int().nonnegative(),
  loc_added_sum: z.number().int().nonnegative(),
  loc_deleted_sum: z.number().int().nonnegative(),
  loc_suggested_to_add_sum: z.number().int().nonnegative(),
  loc_suggested_to_delete_sum: z.number().int().nonnegative(),
}

/**
 * One line of a per-user report file (users-1-day): a user's day, with breakdowns by IDE,
 * feature, language and model. Ids are numbers or strings depending on the report; the field
 * reference marks many fields optional.
 * https://docs.github.com/en/copilot/reference/copilot-usage-metrics/metrics-api-fields
 */
export const usageReportUser = z.looseObject({
  user_id: z.union([z.number().int(), z.string()]),
  user_login: z.string(),
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  user_initiated_interaction_count: z.number().int().nonnegative().optional(),
  ...Object.fromEntries(Object.entries(activityCounts).map(([k, v]) => [k, v.optional()])),
  used_agent: z.boolean().optional(),
  used_chat: z.boolean().optional(),
  totals_by_ide: z.array(z.looseObject({ ide: z.string() })).optional(),
  totals_by_feature: z.array(z.looseObject({ feature: z.string() })).optional(),
})
