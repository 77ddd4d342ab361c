/**
 * What the Anthropic Admin API answers on each endpoint this connector calls, as zod schemas
 * written from the reference pages (cited per schema). Tests hold both the documented examples
 * (test/fixtures/claude) and the simulator's bodies to them, so the two cannot drift apart.
 * Objects are strict: a field the docs do not show is a simulator inventing one.
 */
import { z } from 'zod'

/** RFC 3339 date-time, as every Admin API timestamp is (`2024-10-30T23:58:27.427722Z`). */
const rfc3339 = z.iso.datetime({ offset: true })

/** The id-cursor envelope of users and invites: `{data, first_id, has_more, last_id}`. */
const idPage = <T extends z.ZodType>(item: T) =>
  z.strictObject({ data: z.array(item), first_id: z.string().nullable(), has_more: z.boolean(), last_id: z.string().nullable() })

/**
 * The role enums differ by org kind: Console orgs `user, developer, billing, admin,
 * claude_code_user`; Claude Enterprise orgs add `managed, membership_admin, owner, primary_owner`.
 * https://platform.claude.com/docs/en/api/admin/users/list
 */
const userRole = z.enum([
  'admin',
  'billing',
  'claude_code_user',
  'developer',
  'managed',
  'membership_admin',
  'owner',
  'primary_owner',
  'user',
])

/** https://platform.claude.com/docs/en/api/admin/users/retrieve (the User object) */
export const claudeUser = z.strictObject({
  id: z.string(),
  added_at: rfc3339,
  email: z.string(),
  name: z.string(),
  role: userRole,
  type: z.literal('user'),
})

/** https://platform.claude.com/docs/en/api/admin/users/list */
export const claudeUserList = idPage(claudeUser)

/** https://platform.claude.com/docs/en/api/admin/invites/retrieve (the Invite object) */
export const claudeInvite = z.strictObject({
  id: z.string(),
  email: z.string(),
  expires_at: rfc3339,
  invited_at: rfc3339,
  role: userRole,
  status: z.enum(['accepted', 'expired', 'deleted', 'pending']),
  type: z.literal('invite'),
})

/** https://platform.claude.com/docs/en/api/admin/invites/list */
export const claudeInviteList = idPage(claudeInvite)

/** https://platform.claude.com/docs/en/api/admin-api/organization/get-me */
export const claudeOrganization = z.strictObject({ id: z.guid(), name: z.string(), type: z.literal('organization') })

const accepted = z.strictObject({ accepted: z.number().int(), rejected: z.number().int() })

/**
 * One Claude Code report row.
 * https://platform.claude.com/docs/en/api/admin-api/claude-code/get-claude-code-usage-report
 */
export const claudeCodeRow = z.strictObject({
  actor: z.union([
    z.strictObject({ type: z.literal('user_actor'), email_address: z.string() }),
    z.strictObject({ type: z.literal('api_actor'), api_key_name: z.string() }),
  ]),
  core_metrics: z.strictObject({
    commits_by_claude_code: z.number().int(),
    lines_of_code: z.strictObject({ added: z.number().int(), removed: z.number().int() }),
    num_sessions: z.number().int(),
    pull_requests_by_claude_code: z.number().int(),
  }),
  customer_type: z.enum(['api', 'subscription']),
  // The text says YYYY-MM-DD; every example is RFC 3339 at UTC midnight.
  date: z.union([rfc3339, z.iso.date()]),
  model_breakdown: z.array(
    z.strictObject({
      estimated_cost: z.strictObject({ amount: z.number(), currency: z.string() }),
      model: z.string(),
      tokens: z.strictObject({
        cache_creation: z.number().int(),
        cache_read: z.number().int(),
        input: z.number().int(),
        output: z.number().int(),
      }),
    }),
  ),
  organization_id: z.string(),
  terminal_type: z.string(),
  tool_actions: z.strictObject({ edit_tool: accepted, multi_edit_tool: accepted, notebook_edit_tool: accepted, write_tool: accepted }),
  subscription_type: z.enum(['enterprise', 'team']).nullable(),
  // Newer rows split remote and local use (a generated client's model; not on the reference page yet).
  is_remote: z.boolean().optional(),
})

/** https://platform.claude.com/docs/en/api/admin-api/claude-code/get-claude-code-usage-report */
export const claudeCodeReport = z.strictObject({ data: z.array(claudeCodeRow), has_more: z.boolean(), next_page: z.string().nullable() })

/** A bucket's bounds: RFC 3339, end exclusive. */
const bucketBounds = { starting_at: rfc3339, ending_at: rfc3339 }
/** Dimensions are null unless grouped by (a null workspace_id also names the default workspace). */
const maybe = z.string().nullable()

/**
 * One bucket of the messages usage report; results per group_by combination.
 * https://platform.claude.com/docs/en/api/admin/usage_report/retrieve_messages
 */
export const messagesUsageReport = z.strictObject({
  data: z.array(
    z.strictObject({
      ...bucketBounds,
      results: z.array(
        z.strictObject({
          uncached_input_tokens: z.number().int(),
          cache_creation: z.strictObject({ ephemeral_1h_input_tokens: z.number().int(), ephemeral_5m_input_tokens: z.number().int() }),
          cache_read_input_tokens: z.number().int(),
          output_tokens: z.number().int(),
          server_tool_use: z.strictObject({ web_search_requests: z.number().int() }),
          api_key_id: maybe,
          workspace_id: maybe,
          model: maybe,
          service_tier: maybe,
          context_window: maybe,
          // Newer groupings (account, inference geo, speed) add their own keys.
          account_id: maybe.optional(),
          service_account_id: maybe.optional(),
          inference_geo: maybe.optional(),
          speed: maybe.optional(),
        }),
      ),
    }),
  ),
  has_more: z.boolean(),
  next_page: z.string().nullable(),
})

/**
 * One day of the cost report: `amount` is a decimal string in cents.
 * https://platform.claude.com/docs/en/api/admin/cost_report
 */
export const costReport = z.strictObject({
  data: z.array(
    z.strictObject({
      ...bucketBounds,
      results: z.array(
        z.strictObject({
          currency: z.string(),
          amount: z.string().regex(/^-?\d+(\.\d+)?$/),
          workspace_id: maybe,
          description: maybe,
          cost_type: maybe,
          context_window: maybe,
          model: maybe,
          service_tier: maybe,
          token_type: maybe,
          inference_geo: maybe.optional(),
          speed: maybe.optional(),
        }),
      ),
    }),
  ),
  has_more: z.boolean(),
  next_page: z.string().nullable(),
})

/** A count, or null "on aggregated rows where a distinct count cannot be computed". */
const distinctCount = z.number().int().nullable()
const toolCounts = z.strictObject({ accepted_count: z.number().int(), rejected_count: z.number().int() })
/** https://platform.claude.com/docs/en/api/admin/analytics/users/list (OfficeProductMetrics) */
const officeProduct = z.strictObject({
  connectors_used_count: z.number().int(),
  distinct_connectors_used_count: distinctCount,
  distinct_session_count: distinctCount,
  distinct_skills_used_count: distinctCount,
  message_count: z.number().int(),
  skills_used_count: z.number().int(),
})

/**
 * One user's engagement of one day (Claude Enterprise Analytics). The API reference lists
 * `office_metrics` for excel, outlook, powerpoint and word and a `design_metrics` block; the
 * support reference guide lists excel and powerpoint only and no design block: both accepted.
 * https://platform.claude.com/docs/en/api/admin/analytics/users/list
 * https://support.claude.com/en/articles/13703965-claude-enterprise-analytics-api-reference-guide
 */
export const claudeAnalyticsUser = z.strictObject({
  chat_metrics: z.strictObject({
    connectors_used_count: distinctCount,
    distinct_artifacts_created_count: z.number().int(),
    distinct_conversation_count: distinctCount,
    distinct_files_uploaded_count: distinctCount,
    distinct_projects_created_count: z.number().int(),
    distinct_projects_used_count: distinctCount,
    distinct_shared_artifacts_viewed_count: distinctCount,
    distinct_skills_used_count: distinctCount,
    message_count: z.number().int(),
    shared_conversations_viewed_count: z.number().int(),
    thinking_message_count: z.number().int(),
  }),
  claude_code_metrics: z.strictObject({
    core_metrics: z.strictObject({
      commit_count: z.number().int(),
      distinct_session_count: distinctCount,
      lines_of_code: z.strictObject({ added_count: z.number().int(), removed_count: z.number().int() }),
      pull_request_count: z.number().int(),
    }),
    tool_actions: z.strictObject({
      edit_tool: toolCounts,
      multi_edit_tool: toolCounts,
      notebook_edit_tool: toolCounts,
      write_tool: toolCounts,
    }),
  }),
  cowork_metrics: z.strictObject({
    action_count: z.number().int(),
    connectors_used_count: z.number().int(),
    dispatch_turn_count: z.number().int(),
    distinct_connectors_used_count: distinctCount,
    distinct_session_count: distinctCount,
    distinct_skills_used_count: distinctCount,
    message_count: z.number().int(),
    skills_used_count: z.number().int(),
  }),
  design_metrics: z
    .strictObject({
      distinct_projects_created_count: z.number().int(),
      distinct_projects_used_count: distinctCount,
      distinct_session_count: distinctCount,
      message_count: z.number().int(),
    })
    .optional(),
  office_metrics: z.strictObject({
    excel: officeProduct,
    outlook: officeProduct.optional(),
    powerpoint: officeProduct,
    word: officeProduct.optional(),
  }),
  web_search_count: z.number().int(),
  // Optional in the reference (absent on aggregated rows).
  user: z.strictObject({ id: z.string(), email_address: z.string() }).optional(),
})

/** `{data, next_page}`: `next_page` is null on the last page. */
export const claudeAnalyticsUsers = z.strictObject({ data: z.array(claudeAnalyticsUser), next_page: z.string().nullable() })

/**
 * A workspace. `data_residency` (and `tags`, `external_key_id` on newer answers) appear on some
 * orgs only; the reference's example has neither.
 * https://platform.claude.com/docs/en/api/admin/workspaces/retrieve
 */
export const claudeWorkspace = z.strictObject({
  id: z.string(),
  type: z.literal('workspace'),
  name: z.string(),
  created_at: rfc3339,
  archived_at: rfc3339.nullable(),
  display_color: z.string(),
  data_residency: z
    .strictObject({
      allowed_inference_geos: z.union([z.array(z.string()), z.literal('unrestricted')]),
      default_inference_geo: z.string(),
      workspace_geo: z.string(),
    })
    .optional(),
  tags: z.record(z.string(), z.string()).optional(),
  external_key_id: z.string().nullable().optional(),
})

/** https://platform.claude.com/docs/en/api/admin/workspaces/list */
export const claudeWorkspaceList = idPage(claudeWorkspace)
