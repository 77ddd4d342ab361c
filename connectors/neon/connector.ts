/**
 * Neon — the Neon API v2 (organization members and invitations), bearer key, for one
 * organization named by the account's `org_id`.
 * https://neon.com/docs/reference/api/organizations/get-organization-members
 * https://api-docs.neon.tech/reference/getorganization
 * https://neon.com/docs/manage/orgs-api
 */
import type { ConnectorModule, DateWindowSpec, ListMethodSpec, PaginationSpec, SideLoadSpec } from '../../src/engine/connector-types'
import { singleRecordResource } from '../../src/engine/single-record-list'

const one = (path: string): SideLoadSpec => ({ request: { method: 'GET', path }, recordsPath: '', maxPages: 1 })

/**
 * The organization every member belongs to (id and name).
 * https://api-docs.neon.tech/reference/getorganization
 */
const organization = one('/organizations/{{context.org_id}}')

/**
 * The key owner's profile: the only place Neon gives a member's name. Org keys may not see it.
 * https://api-docs.neon.tech/reference/getcurrentuserinfo
 */
const me = one('/users/me')

/**
 * Pending invitations, listed after the members as `invited` users (one unpaginated answer).
 * https://api-docs.neon.tech/reference/getorganizationinvitations
 */
const invitations: SideLoadSpec = {
  request: { method: 'GET', path: '/organizations/{{context.org_id}}/invitations' },
  recordsPath: 'invitations',
  maxPages: 1,
}

/**
 * Consumption history reaches back 60 days at daily granularity (168 hours hourly, a year
 * monthly); one request may cover all of it. `from`/`to` are date-times, `to` exclusive (Neon
 * rounds both down to the granularity). Default: the last week.
 */
const consumptionWindows: DateWindowSpec = {
  align: 'day',
  maxSpan: 60,
  maxRangeDays: 60,
  defaultRange: { startDaysAgo: 7, endDaysAgo: 0 },
  send: { start: { param: 'from', format: 'date-time' }, end: { param: 'to', format: 'date-time' } },
}

/** Pages of projects: `limit` (1-100) and `cursor` ← `pagination.cursor`, the last project served. */
const projectPages: PaginationSpec = {
  type: 'cursor',
  cursorParam: 'cursor',
  nextCursorPath: 'pagination.cursor',
  limitParam: 'limit',
  // The cursor is present on every page, the last included: a short page ends the walk.
  endOnShortPage: true,
}

/** Both consumption endpoints: the same pages, windows and mapping; each its own query mapping. */
const consumptionList = (path: string, query: string): Omit<ListMethodSpec, 'reports'> => ({
  request: { method: 'GET', path },
  mappings: { response: 'consumption.jsonata', query },
  pagination: projectPages,
  recordsPath: 'projects',
  pageSize: { default: 100, max: 100 },
  windows: consumptionWindows,
  supports: { bucket_width: ['day', 'hour'] },
})

export const neon: ConnectorModule = {
  definition: {
    id: 'neon',
    label: 'Neon',
    docsUrl: 'https://neon.com/docs/reference/api/organizations/get-organization-members',
    baseUrl: 'https://console.neon.tech/api/v2',
    credentials: [
      {
        name: 'api_key',
        label: 'API key',
        secret: true,
        required: true,
        example: 'napi_…',
        helpText: 'An organization API key, or a personal key of a member of the organization.',
      },
    ],
    contextFields: [
      {
        name: 'org_id',
        label: 'Organization ID',
        secret: false,
        required: true,
        // Neon's spec pattern for organization ids: anything else can never name an organization.
        pattern: '^[a-z0-9-]{1,60}$',
        refuseMismatch: true,
        example: 'org-morning-bread-81040908',
        helpText: 'Settings → General in the Neon console.',
      },
    ],
    auth: { type: 'bearer', credential: 'api_key' },
    // Every error is a GeneralError `{request_id, code, message}`; no rate-limit headers are documented.
    errors: { messagePaths: ['message'], codePaths: ['code'] },
    // Proves the key and that it can see this organization.
    // https://api-docs.neon.tech/reference/getorganization
    verification: { method: 'GET', path: '/organizations/{{context.org_id}}' },
    resources: {
      'usage-metering/users': {
        list: {
          // https://neon.com/docs/reference/api/organizations/get-organization-members
          // Oldest first: members who join during a walk land at the end instead of shifting it.
          request: { method: 'GET', path: '/organizations/{{context.org_id}}/members', query: { sort_by: 'joined_at', sort_order: 'asc' } },
          mappings: { response: 'member.jsonata' },
          // The current docs page with `limit` + `cursor` ← `pagination.next`; the older
          // unpaginated answer has no `pagination` and simply ends the walk after one page. The
          // docs do not say whether the last page omits `next`: a short page ends the walk
          // either way, so no request is spent on an empty page and the invitations (added on
          // the last page) are never dropped.
          pagination: {
            type: 'cursor',
            cursorParam: 'cursor',
            nextCursorPath: 'pagination.next',
            limitParam: 'limit',
            endOnShortPage: true,
          },
          recordsPath: 'members',
          pageSize: { default: 100, max: 100 },
          sideLoads: { organization, me, invitations },
        },
        // The member endpoint takes a member id and has no email; the list has both ids and the email.
        get: { via: 'list', match: ['id', 'remote_data.member.id'] },
        fieldSources: {
          id: 'Members: `member.user_id` (the same in every organization); invitations: the invitation `id`.',
          name: 'The key owner: `name` and `last_name` of GET /users/me; everyone else (Neon lists no names): the local part of the email, before the @.',
          first_name: 'The key owner only: GET /users/me `name`; null for others (never guessed from an email).',
          last_name: 'The key owner only: GET /users/me `last_name`; null for others.',
          emails: 'Members: `user.email`; invitations: `email`.',
          roles: '`member.role` or the invitation `role` (admin | member).',
          status: '`active` for members, `invited` for pending invitations (GET /organizations/{org_id}/invitations).',
          organization: 'GET /organizations/{org_id}: `id` and `name`.',
          spend_limit: 'Null: Neon has no per-member spend limit.',
          last_active_at: 'Null: Neon reports no per-member activity.',
          created_at: 'Members: `member.joined_at`; invitations: `invited_at`.',
          updated_at: 'Null: Neon reports no change date.',
        },
      },
      'usage-metering/usage': {
        list: {
          // report_type=usage (default): the usage-based plans' metrics (Launch, Scale, Agent,
          // Business, Enterprise); other plans get Neon's 403 naming the plans.
          // https://neon.com/docs/reference/api/consumption/get-consumption-history-per-project-v2
          ...consumptionList('/consumption_history/v2/projects', 'consumption.query.jsonata'),
          reports: {
            param: 'report_type',
            name: 'usage',
            others: {
              // report_type=legacy_usage: the legacy metrics (active time, compute time, written
              // data, synthetic storage) of Scale, Business and Enterprise plans.
              // https://neon.com/docs/reference/api/consumption/get-consumption-history-per-project
              legacy_usage: consumptionList('/consumption_history/projects', 'consumption-legacy.query.jsonata'),
            },
          },
        },
        fieldSources: {
          id: 'Derived from the project, the bucket (timeframe start and end) and the metric.',
          product: 'The metric family: compute, storage, data_transfer or branches.',
          metric_name: "Neon's metric name (e.g. compute_unit_seconds; legacy: active_time_seconds).",
          resources: 'The project (`project_id`).',
          organization: 'The account’s `org_id`.',
          user: 'Null: Neon attributes consumption to projects, never to a person.',
          model: 'Null.',
          surface: 'Null.',
          charges: 'Null: the consumption API reports quantities, not prices.',
          usage: 'quantity = the metric value; unit from its name (second, byte, byte_month, byte_hour, branch_month).',
          start_date: 'The bucket’s `timeframe_start` (a day, or an hour with bucket_width=hour).',
          end_date: 'The bucket’s `timeframe_end`.',
          created_at: 'Null.',
          updated_at: 'Null: Neon refreshes consumption about every 15 minutes without saying when.',
        },
      },
      'usage-metering/organizations': {
        // The account's organization (its `org_id`): one record.
        // https://api-docs.neon.tech/reference/getorganization
        // The account is bound to one organization, so a get is that record or 404.
        ...singleRecordResource({ method: 'GET', path: '/organizations/{{context.org_id}}' }, 'organization.jsonata'),
        fieldSources: {
          id: '`id` of GET /organizations/{org_id}.',
          name: '`name` of GET /organizations/{org_id}.',
          created_at: '`created_at` of GET /organizations/{org_id}.',
          updated_at: '`updated_at` of GET /organizations/{org_id}.',
          remote_data: 'The organization object as received (`handle`, `plan`, `managed_by`, …).',
        },
      },
      'usage-metering/workspaces': {
        list: {
          // The organization's projects: `limit` + `cursor` ← `pagination.cursor`. The cursor is
          // the last project's position and comes on the last page too: a short page ends the walk.
          // https://api-docs.neon.tech/reference/listprojects
          // https://api-docs.neon.tech/reference/pagination
          request: { method: 'GET', path: '/projects', query: { org_id: '{{context.org_id}}' } },
          mappings: { response: 'project.jsonata' },
          pagination: {
            type: 'cursor',
            cursorParam: 'cursor',
            nextCursorPath: 'pagination.cursor',
            limitParam: 'limit',
            endOnShortPage: true,
          },
          recordsPath: 'projects',
          // The pagination page documents 1–100 for projects (the list page now says up to 400).
          pageSize: { default: 100, max: 100 },
        },
        get: {
          // https://api-docs.neon.tech/reference/getproject
          request: { method: 'GET', path: '/projects/{{id}}' },
          mappings: { response: 'project.jsonata' },
        },
        fieldSources: {
          id: 'Project `id` (e.g. `spring-example-302709`) from GET /projects?org_id=.',
          name: 'Project `name`.',
          organization: "Project `org_id`; the account's `org_id` when a project omits it.",
          created_at: 'Project `created_at`.',
          updated_at: 'Project `updated_at`.',
          remote_data: 'The project object as received (`region_id`, `pg_version`, `owner_id`, …).',
        },
      },
    },
  },
  simulator: async () => (await import('./simulator')).startSimulator,
}
