/**
 * Cloudflare D1's documented limits, and the budgets this gateway designs its writes for. The
 * one place these numbers live; every bulk write goes through src/db/json-rows.ts, which holds
 * to them.
 *
 * Source: https://developers.cloudflare.com/d1/platform/limits/ (read Dec 2026):
 *   maximum string, BLOB or table row size  2,000,000 bytes
 *   maximum SQL statement length              100,000 bytes
 *   maximum bound parameters per query        100
 *   queries per Worker invocation             1,000 (Workers Paid) / 50 (Free)
 * and https://developers.cloudflare.com/d1/worker-api/d1-database/#batch: a batch runs its
 * statements sequentially as one SQL transaction; if one fails the whole batch is rolled back.
 * D1 documents no cap on the number of statements in a batch.
 *
 * How our statements meet them: a page's rows travel as JSON arrays, each ONE bound parameter
 * read with `json_each`, so the SQL text is fixed (a few hundred bytes) and binds fewer than a
 * dozen parameters whatever the page's size; the only limit the page's size meets is the value
 * size of that JSON parameter, which chunking keeps under D1_JSON_PARAM_MAX_BYTES. A page then
 * costs ceil(page bytes / 1 MB) statements per kind of write, all in ONE batch together with the
 * run's checkpoint: the page stays all-or-nothing, and a 10 MB vendor page is about fifteen
 * statements.
 */

/** D1: the largest string, BLOB or table row, in bytes. */
export const D1_MAX_VALUE_BYTES = 2_000_000

/** D1: the longest SQL statement text, in bytes. */
export const D1_MAX_STATEMENT_BYTES = 100_000

/** D1: the most bound parameters one statement may have. */
export const D1_MAX_BOUND_PARAMETERS = 100

/**
 * Our budget for one bound JSON array: half of D1's value limit. The headroom covers what
 * SQLite makes of the text (`->` re-renders JSON; a stored row adds its key columns and
 * timestamps) so that no value or row derived from one array can reach D1's 2,000,000 bytes.
 */
export const D1_JSON_PARAM_MAX_BYTES = D1_MAX_VALUE_BYTES / 2

/**
 * The largest one stored record may be (its id, unified record, remote_data, hash and facets as
 * one JSON row): what fits alone in one bound JSON array. A vendor record larger than this is
 * not written on D1 (src/sync/page-writer.ts says which and why).
 */
export const D1_MAX_RECORD_BYTES = D1_JSON_PARAM_MAX_BYTES - 2
