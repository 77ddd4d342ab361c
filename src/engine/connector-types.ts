/**
 * What a connector is: declarative data describing how to talk to one vendor. The engine reads
 * these and nothing else; a vendor quirk belongs here (or in its mappings), not in the engine.
 *
 * Templates: strings may contain `{{credentials.x}}`, `{{context.x}}`, `{{id}}` and
 * `{{query.x}}` placeholders (not JSONata). In a path, values are URL-encoded as one segment.
 */
import type { ZodObject } from 'zod'
import type { WebSocketFactory } from './http/websocket'
import type { UrlPolicy } from './url-policy'

export interface CredentialField {
  /** Key inside the account's `context`, e.g. `api_key`. */
  name: string
  label: string
  /** Secret fields are encrypted at rest and never returned. */
  secret: boolean
  required: boolean
  /**
   * A regex of the documented forms (checked on create/update). A value that does not match is
   * stored with a warning, since vendors add key formats; see `refuseMismatch`.
   */
  pattern?: string
  /** A value not matching `pattern` can never work (a URL, an id in a path): refuse it. */
  refuseMismatch?: boolean
  example?: string
  helpText?: string
}

export type AuthScheme =
  /** `Authorization: Bearer <credential>` */
  | { type: 'bearer'; credential: string }
  /** `Authorization: Basic base64(user:password)`, both templates. */
  | { type: 'basic'; username: string; password: string }
  /** Arbitrary header templates, e.g. `{ 'x-api-key': '{{credentials.api_key}}' }`. */
  | { type: 'headers'; headers: Record<string, string> }
  /** The connector authenticates inside a custom transport hook. */
  | { type: 'none' }

/** Where a pagination value goes in the request. */
export type ParamLocation = 'query' | 'body'

export type PaginationSpec =
  /** No pagination: one response holds every record; the gateway slices it for `limit`. */
  | { type: 'none' }
  /**
   * An opaque or id cursor read from the response: `after_id` ← `last_id` (Claude),
   * `after` ← `last_id` (OpenAI), `cursor` ← `pagination.next` (Neon), `page` ← `next_page`.
   */
  | {
      type: 'cursor'
      cursorParam: string
      /** Dot path of the next cursor in the response body. */
      nextCursorPath: string
      /** Dot path of a has-more flag; when absent, a present next cursor means more. */
      hasMorePath?: string
      limitParam?: string
      /**
       * A page holding fewer records than `limitParam` asked for is the last, whatever cursor it
       * carries, and so is an empty page handing back the cursor just used: for vendors whose
       * docs leave open whether the last page still has a cursor. Spares the request for an
       * empty page (and the loop an echoed cursor would make).
       */
      endOnShortPage?: boolean
      in?: ParamLocation
    }
  /**
   * Numbered pages, counted in pages of the size asked for: ends on a short page, or when
   * `page >= totalPages` if a path is given.
   */
  | {
      type: 'page'
      pageParam: string
      limitParam: string
      firstPage?: number
      totalPagesPath?: string
      /**
       * Dot path of the total number of records (Limitly's `count`). A short page before that
       * many were seen means the vendor left records out: the result is flagged partial.
       */
      totalCountPath?: string
      in?: ParamLocation
    }
  /** Offsets: ends on a short page. */
  | { type: 'offset'; offsetParam: string; limitParam: string; in?: ParamLocation }
  /**
   * An RFC 8288 `Link` response header (GitHub): the next page is the URL of the link with
   * relation `rel` (default `next`), requested as given; no such link ends the walk. Only the
   * first request carries `limitParam` (the links repeat it). A link outside the base URL is
   * refused (502), never followed: the engine would send it the account's credentials.
   */
  | {
      type: 'link'
      rel?: string
      limitParam?: string
      /**
       * The links count pages of the size asked for (GitHub's `page=n`): records past that size
       * on a page are the next page's, so they are dropped instead of served twice.
       */
      numberedPages?: boolean
    }

export interface RequestSpec {
  method: 'GET' | 'POST'
  /** Appended to the base URL (or to `url`); a template. */
  path: string
  /**
   * A whole-URL template that replaces the base URL for this request, for data the account
   * points at (e.g. `{{credentials.snapshot_url}}`). Its value is used verbatim (a query string
   * it carries is kept). Such a URL is not the operator's: give it a `urlPolicy`.
   */
  url?: string
  /** Checked before the request (see src/engine/url-policy.ts). */
  urlPolicy?: UrlPolicy
  /**
   * Names one of the connector's `otherBaseUrls`: the path is appended to that base URL instead
   * (another API of the vendor on another host, such as OpenAI's api.chatgpt.com analytics).
   */
  baseUrl?: string
  /** Fixed query parameters (templates). */
  query?: Record<string, string>
  /** Fixed JSON body (for POST endpoints such as Cursor's). */
  body?: Record<string, unknown>
  headers?: Record<string, string>
  /**
   * Authenticates this request instead of the connector's `auth` (e.g. an API of the vendor
   * that takes a different key in the same header).
   */
  auth?: AuthScheme
}

/** Mapping files, relative to `mappings/<model>/<resource>/<connector>/`. */
export interface MappingFiles {
  /**
   * Vendor response → unified record(s). Evaluated once per vendor page, with `response`,
   * `sideload`, `query`, `rawQuery`, `context`, `headers` and, on lists, `page.last` (true on the
   * page that ends the walk, for records to add exactly once, such as Neon's invitations).
   */
  response: string
  /** Unified query → vendor query (its result replaces the outbound query). */
  query?: string
  /** Unified query → vendor JSON body (POST endpoints). */
  body?: string
}

/**
 * A second request whose records the response mapping can join on (as `sideload.<name>`),
 * fetched once per gateway request (never per record) and cached briefly.
 */
export interface SideLoadSpec {
  request: RequestSpec
  mappings?: Omit<MappingFiles, 'response'>
  pagination?: PaginationSpec
  /** Dot path of the records in each response page. */
  recordsPath: string
  /** Pages fetched at most. Default 10. */
  maxPages?: number
  pageSize?: number
  /** When true (default), a failing side load leaves its binding empty instead of failing. */
  optional?: boolean
  /**
   * Account fields (credential or context) this side load needs: unless all are set it is not
   * fetched and its binding is empty (data reachable only with a second key some accounts add).
   */
  whenSet?: string[]
  /** Account fields that make this side load unneeded: with all of them set it is not fetched. */
  unlessSet?: string[]
  /**
   * Dot paths of what the mappings read of each record (`actor.email_address`): the side load
   * keeps only these, so its cached copy holds what the joins need rather than whole vendor rows.
   * Omitted: records are kept as received.
   */
  fields?: string[]
}

/** One vendor list the gateway walks page by page: what to ask, how to page, where the records are. */
export interface VendorListSpec {
  request: RequestSpec
  mappings: MappingFiles
  pagination: PaginationSpec
  /** Dot path of the raw records in the vendor response ('' = the body is the array). */
  recordsPath: string
  /** The records may also come as an object keyed by id (its values are the records). */
  keyedRecords?: boolean
  /**
   * The body at `recordsPath` is one record, not a list: an endpoint describing the account's
   * own organization (Claude's `/v1/organizations/me`) is a list of that one record.
   */
  singleRecord?: boolean
  /**
   * The response mapping maps each record on its own: exactly one unified record per object
   * record, in order, reading nothing of the answer but that record (plus side loads, query and
   * context); non-objects are dropped. The engine then maps only the records a request serves,
   * so an unpaginated answer (Cursor's 1,000 members for a page of 100) costs per record served.
   */
  recordWise?: boolean
  /** Walk the requested period as date windows, one after another (see DateWindowSpec). */
  windows?: DateWindowSpec
  /** The records are not in the response but at URLs it gives (see LinkedRecordsSpec). */
  linkedRecords?: LinkedRecordsSpec
}

/**
 * Records that live at URLs the response hands out (GitHub's report `download_links`, signed and
 * on another host): each URL is fetched without the connector's headers and credentials, read as
 * JSON lines (or one JSON array), and the records of all of them, in order, are put at the list's
 * `recordsPath` of the response before it is mapped.
 */
export interface LinkedRecordsSpec {
  /** Dot path of the URL list (or of a single URL) in the response. */
  urlsPath: string
  /** Checked before each URL is fetched: the links come from data, not from the operator. */
  urlPolicy: UrlPolicy
  /** Links followed at most per response (default 20); more is an unreadable answer (502). */
  maxLinks?: number
}

/** How a window bound is written: `2026-11-01`, `2026-11-01T00:00:00Z`, epoch ms or epoch seconds. */
export type WindowFormat = 'date' | 'date-time' | 'epoch-ms' | 'epoch-s'

/**
 * Date-window slicing, for vendors that report over a period but serve only a span per request
 * (one day, 31 days). The engine reads the period from the unified query, cuts it into windows
 * of at most `maxSpan` units, and walks each window with the list's own pagination; the cursor
 * carries the window, so a 90-day period at one day per request is one `next_cursor` walk.
 */
export interface DateWindowSpec {
  /** Windows start and end on whole UTC days or hours; a period given inside a unit widens to it. */
  align: 'day' | 'hour'
  /** The most units (of `align`) one request may cover. */
  maxSpan: number
  /**
   * The period when the query gives none, in whole days back from today (UTC):
   * `[today - startDaysAgo, today - endDaysAgo)`. Yesterday: `{startDaysAgo: 1, endDaysAgo: 0}`.
   */
  defaultRange: { startDaysAgo: number; endDaysAgo: number }
  /** The longest period one list may ask for, in days (a vendor's retention); longer → 400. */
  maxRangeDays?: number
  /**
   * A start given without an end is that one day, as the day parameter would be (Truto's OpenAI
   * Codex treats `start_date` as `date`); otherwise it runs up to now.
   */
  startAloneIsDay?: boolean
  /**
   * Unified query parameters giving the period: an inclusive start, an exclusive end, or one day.
   * Default `start_date`, `end_date`, `date`.
   */
  range?: { start?: string; end?: string; day?: string }
  /**
   * How each window goes out. Without `send`, only the query/body mappings see the window (as
   * the `window` binding, `{start, end}` in ISO date-time, end exclusive). A single-day vendor
   * takes `start` alone (`{param: 'date', format: 'date'}`) with `maxSpan: 1`.
   */
  send?: {
    start?: { param: string; format: WindowFormat }
    /** `inclusive`: the last instant inside the window, at the format's precision (the last day for `date`). */
    end?: { param: string; format: WindowFormat; inclusive?: boolean }
    in?: ParamLocation
  }
}

/**
 * Several vendor reports behind one unified list, chosen per request by a unified parameter
 * (`report_type`). The list's own spec is the report named `name`; `others` are whole lists.
 */
export interface ReportChoice {
  /** The unified query parameter that names the report, e.g. `report_type`. */
  param: string
  /** The name of the list's own report, served when the query names none. */
  name: string
  /** Another report is the default when the query gives any of `params` (Claude: a period). */
  defaultWhenGiven?: { params: string[]; report: string }
  others: Record<string, Omit<ListMethodSpec, 'reports'>>
}

/**
 * The unified parameters a list understands: `true` for any value, or the values it takes (for
 * a list parameter, each item). With this declared, a request giving another parameter, or
 * another value, answers 400 naming what the vendor supports. The window's period parameters
 * and the report parameter are understood whenever the list has them.
 */
export type SupportedParams = Record<string, true | readonly string[]>

export interface ListMethodSpec extends VendorListSpec {
  /** Page sizes the vendor accepts. The gateway fetches several vendor pages to fill a larger `limit`. */
  pageSize: { default: number; max: number }
  sideLoads?: Record<string, SideLoadSpec>
  requires?: MethodRequirement
  /**
   * Vendor lists walked after this one ends, in order, as the rest of the same unified list
   * (e.g. pending invitations after the members). Each has its own request, pagination and
   * response mapping, and sees the same side loads. Cursors name the list the walk is in, so
   * `limit`, `next_cursor`, `stream`, sync and a get via the list go on across the boundary,
   * and a list that repeats itself is caught per list. A request with `remote_query` (vendor
   * parameters written for this list's endpoint) walks this list only.
   */
  then?: ThenListSpec[]
  /** Other vendor reports that can serve this list instead, chosen by a unified parameter. */
  reports?: ReportChoice
  /** Unified parameters this list understands (see SupportedParams); unchecked when absent. */
  supports?: SupportedParams
}

export interface ThenListSpec extends VendorListSpec {
  /** The largest page this list accepts, when smaller than the first list's. */
  maxPageSize?: number
}

/**
 * Account fields a method cannot work without (e.g. a URL only some accounts configure).
 * Without them the method answers 400 `method_not_supported` with `message`, which should say
 * what to set.
 */
export interface MethodRequirement {
  /** Names in the account's context (credential or context fields). */
  fields: string[]
  message: string
}

export interface GetMethodSpec {
  request: RequestSpec
  mappings: MappingFiles
  sideLoads?: Record<string, SideLoadSpec>
  /** Replaces the HTTP call (see CustomFetch). */
  fetch?: CustomFetch
  requires?: MethodRequirement
  /**
   * Other endpoints for ids of another kind, tried in order before this one: the first whose
   * `idPattern` (a regex) matches the requested id answers instead (e.g. `^invite_` → the
   * vendor's get-invite endpoint, for records a `then` list added).
   */
  byIdPattern?: Array<{ idPattern: string } & Omit<GetMethodSpec, 'byIdPattern' | 'requires'>>
}

/** Get by walking the list and matching the unified id (vendors without a get endpoint). */
export interface GetViaListSpec {
  via: 'list'
  /**
   * Dot paths of the unified record compared with the requested id, in order; default `['id']`.
   * Lets a vendor with two ids per record (Neon: user id and member id) be read by either.
   */
  match?: string[]
  /**
   * Ids matching `pattern` (a regex) are read from the vendor's own get endpoint instead, in one
   * request: for vendors whose get takes another key than the unified id (GitHub's seat get takes
   * a login, while the unified id is the numeric account id).
   */
  byOtherKey?: { pattern: string; get: GetMethodSpec }
}

export interface ResourceMethods {
  list?: ListMethodSpec
  /**
   * List parameters only this vendor reads (Claude's `date` on users): the route documents them
   * (the description says which vendor) and validates them for every account, as the unified
   * resource's own; a vendor that does not declare one ignores it. See src/unified/list-params.ts.
   */
  listParams?: ZodObject
  get?: GetMethodSpec | GetViaListSpec
  /**
   * Where each unified field's value comes from at this vendor, one short sentence per field
   * (endpoint and vendor field, the rule applied, or why it stays null). Served by
   * `GET /integrations` and printed in the README's support matrix.
   */
  fieldSources?: Record<string, string>
}

/** How the vendor reports its own rate limits, turned into the contract's `ratelimit-*` headers. */
export interface RateLimitConvention {
  limitHeader?: string
  remainingHeader?: string
  resetHeader?: string
  /** How to read the reset header: seconds from now, a unix timestamp (s), or an RFC 3339 date. */
  resetFormat?: 'seconds' | 'unix-seconds' | 'rfc3339'
  /** Headers holding how long to wait before retrying, in order of preference. */
  retryAfterHeaders?: string[]
  /**
   * When no retry-after header is present but the remaining header reads 0, the wait lasts until
   * the reset header's time (GitHub's primary rate limit).
   */
  waitForResetWhenExhausted?: boolean
  /**
   * Statuses that mean "rate limited" only when the answer says how long to wait (a retry-after,
   * or an exhausted limit with a reset time): those are retried like a 429 and reported as 429;
   * otherwise they are ordinary errors. GitHub sends 403 both for missing permissions and for
   * rate limits.
   */
  throttleStatuses?: number[]
}

export interface ErrorConvention {
  /** Dot paths tried in order for the vendor's error message. */
  messagePaths: string[]
  /** Dot paths tried in order for the vendor's error code/type. */
  codePaths?: string[]
  /**
   * Optional JSONata file (relative to `mappings/_errors/`) over `{status, headers, body}` that
   * returns `{status?, message?, code?}` to override, or null. For vendors that signal errors in
   * a 200 body, or whose body code means a more precise status.
   */
  mapping?: string
}

export interface ConnectorDefinition {
  id: string
  label: string
  /** Documentation of the vendor API this connector follows. */
  docsUrl?: string
  /** Default base URL; the operator may replace it with `UNIMETER_<ID>_BASE_URL`. */
  baseUrl: string
  /**
   * Base URLs of the vendor's other APIs, by name (a request picks one with `baseUrl`). The
   * operator may replace each with `UNIMETER_<ID>_<NAME>_BASE_URL`; a sandbox account reaches it
   * at its simulator's origin, under the same path.
   */
  otherBaseUrls?: Record<string, string>
  credentials: CredentialField[]
  /** Non-secret context fields (instance settings), e.g. Neon's `org_id`. */
  contextFields?: CredentialField[]
  auth: AuthScheme
  /** Headers sent on every request (templates). */
  headers?: Record<string, string>
  rateLimit?: RateLimitConvention
  errors: ErrorConvention
  /** Statuses worth retrying besides 429 and 5xx (e.g. 529 is already 5xx). */
  retryStatuses?: number[]
  /** One cheap request proving the credentials work; run when an account is created. */
  verification?: RequestSpec
  /**
   * Checks of optional credentials (e.g. a second key for another API of the vendor), each run
   * after `verification` and only when its field is set; a refusal names that field.
   */
  fieldVerifications?: FieldVerification[]
  /** `"usage-metering/users"` → its methods. */
  resources: Record<string, ResourceMethods>
}

export interface FieldVerification {
  field: string
  request: RequestSpec
  /** A query mapping (path under `mappings/`) for values a template cannot give, such as a date. */
  queryMapping?: string
}

/** A connector plus how to start its simulator (Node only: loaded lazily). */
export interface ConnectorModule {
  definition: ConnectorDefinition
  simulator?: () => Promise<import('../sandbox/simulator-kit/types').StartSimulator>
}

/**
 * A hook for the rare vendor whose protocol data cannot describe (e.g. Limitr's ticket +
 * WebSocket). It returns what an HTTP call would have: status, headers and the body, which then
 * goes through the same error handling (the connector's error convention and error mapping) and
 * mappings as any other response. It may throw a TransportError (timeouts, refused connections)
 * or let the ApiError of `input.http` through.
 */
export type CustomFetch = (input: CustomFetchInput) => Promise<CustomFetchResult>

export interface CustomFetchResult {
  status: number
  headers: Record<string, string>
  /** The body as parsed JSON… */
  body?: unknown
  /** …or as the raw text received (parsed like an HTTP body; not JSON → 502). */
  text?: string
  /** Enrichment fetched on the same connection, joined into the mapping's `sideload`. */
  sideload?: Record<string, unknown[]>
}

export interface CustomFetchInput {
  id?: string
  baseUrl: string
  credentials: Record<string, string>
  context: Record<string, unknown>
  query: Record<string, unknown>
  /** Time left for the whole exchange. */
  timeoutMs: number
  /** Time allowed for opening a connection (UNIMETER_WS_CONNECT_TIMEOUT_MS, within timeoutMs). */
  connectTimeoutMs: number
  signal?: AbortSignal
  /** An HTTP request to the vendor through the engine: auth, retries, deadline, errors. */
  http(request: { method: 'GET' | 'POST'; path: string; query?: Record<string, unknown>; body?: unknown }): Promise<{
    status: number
    headers: Record<string, string>
    body: unknown
  }>
  /** Opens WebSockets; supplied by the runtime (undici on Node, the global one on Workers). */
  webSocket: WebSocketFactory
}
