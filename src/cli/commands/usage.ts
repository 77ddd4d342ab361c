/**
 * `unimeter usage`: usage and cost records of an account (`list`, `export`), and the per-person
 * summary of a tenant for a month (`summary`), read from the local copies the sync jobs keep.
 */
import type { Command } from 'commander'
import { collect } from '../args/pairs'
import { cliContext, type CliIO } from '../context'
import { UsageError } from '../errors'
import { withExamples } from '../help'
import { printPages } from '../output/print'
import { renderRecords } from '../output/render'
import { summaryRows, type PersonRow } from '../usage/summary-rows'
import { usageQuery, type UsageFilterOptions } from '../usage/usage-query'
import { runExport, withExportOptions, type ExportOptions } from './export'
import { unifiedQuery } from './unified'

const USAGE = { model: 'usage-metering', resource: 'usage' }
const PATH = '/unified/usage-metering/usage'
/** The people view's page size: the largest the gateway serves. */
const SUMMARY_PAGE = 1000

type ListOptions = UsageFilterOptions & { account: string; query?: string[]; queryJson?: string; all?: boolean }
type SummaryOptions = UsageFilterOptions & { tenant?: string; account?: string }

/** The period and filter flags every usage command takes. */
function withFilters(cmd: Command, local: 'flag' | 'always'): Command {
  cmd
    .option('--month <YYYY-MM>', 'one calendar month (UTC), e.g. 2026-11')
    .option('--from <date>', 'start of the period, inclusive (YYYY-MM-DD or ISO date-time)')
    .option('--to <date>', 'end of the period, exclusive')
    .option('--model <id>', 'only this model (repeatable)', collect)
    .option('--product <id>', 'only this product (repeatable)', collect)
    .option('--surface <name>', 'only this surface, e.g. claude_code (repeatable)', collect)
    .option('--user-id <id>', 'only this vendor user id (repeatable)', collect)
    .option('--email <address>', 'only this person, by e-mail, any case (repeatable; local copy)', collect)
  if (local === 'flag') cmd.option('--local', 'read the local copy the sync jobs keep (truto_super_query) instead of the vendor')
  return cmd
}

export function registerUsage(program: Command, io: CliIO): void {
  const usage = program
    .command('usage')
    .description('Usage and cost: records of an account (from the vendor or the local copy), exports, and a per-person summary.')
  withExamples(usage, [
    'unimeter usage summary --tenant acme --month 2026-11',
    'unimeter usage list -a sandbox-claude --month 2026-11',
    'unimeter usage export -a sandbox-claude --local --month 2026-11 --out usage.csv',
  ])

  const list = withFilters(
    usage
      .command('list')
      .description('List usage records of an integrated account: one page (the next-page hint goes to stderr), or every page with --all.')
      .requiredOption('-a, --account <id>', 'integrated account id')
      .option('-q, --query <k=v,...>', 'more query parameters, repeatable (e.g. report_type=cost,group_by[]=model)', collect)
      .option('--query-json <json>', 'more query parameters as a JSON object')
      .option('--all', 'follow next_cursor to the last page'),
    'flag',
  )
  list.action(async (opts: ListOptions, command: Command) => {
    const ctx = cliContext(command, io)
    const query = { ...usageQuery(opts), ...unifiedQuery(opts) }
    await printPages(ctx, PATH, query, { all: opts.all === true, hint: (c) => `Next page: -q next_cursor=${c}` })
  })
  withExamples(list, [
    'unimeter usage list -a sandbox-claude --month 2026-11',
    'unimeter usage list -a sandbox-cursor --local --email ada@example.com --all -o ndjson',
    'unimeter usage list -a sandbox-openai-codex --from 2026-11-01 --to 2026-11-08 --model gpt-5-codex',
  ])

  const exporter = withFilters(
    withExportOptions(
      usage
        .command('export')
        .description(
          'Export every usage record of an account to NDJSON or CSV (-o csv or --out *.csv), with a progress bar on a terminal; --resume continues an interrupted export.',
        )
        .option('-a, --account <id>', 'integrated account id (optional with --resume)')
        .option('-q, --query <k=v,...>', 'more query parameters, repeatable', collect)
        .option('--query-json <json>', 'more query parameters as a JSON object'),
    ),
    'flag',
  )
  exporter.action((opts: ExportOptions & UsageFilterOptions, command: Command) =>
    runExport(cliContext(command, io), USAGE, opts, opts.resume ? {} : usageQuery(opts)),
  )
  withExamples(exporter, [
    'unimeter usage export -a sandbox-claude --local --month 2026-11 --out usage.csv',
    'unimeter usage export -a sandbox-claude --local --month 2026-11 --out usage.ndjson --resume   # after Ctrl-C',
  ])

  const summary = withFilters(
    usage
      .command('summary')
      .description(
        'One line per person of a tenant (or of one account): their seats, active days, tokens, requests and cost, in total and per vendor, ' +
          'from the local copies (people joined by e-mail across vendors). Amounts are shown in each currency; currencies are never converted.',
      )
      .option('-t, --tenant <id>', 'the tenant whose accounts to sum')
      .option('-a, --account <id>', 'one integrated account instead of a tenant'),
    'always',
  )
  summary.action(async (opts: SummaryOptions, command: Command) => {
    const ctx = cliContext(command, io)
    if ((opts.tenant === undefined) === (opts.account === undefined))
      throw new UsageError(
        'summary needs --tenant <id> or -a <account> (one of them)',
        'e.g. unimeter usage summary --tenant acme --month 2026-11',
      )
    const scope = opts.tenant !== undefined ? { tenant_id: opts.tenant } : { integrated_account_id: opts.account, group_by: ['user'] }
    const query: Record<string, unknown> = { ...usageQuery({ ...opts, local: true }), ...scope, limit: SUMMARY_PAGE }
    const people: PersonRow[] = []
    for (let cursor: string | undefined; ;) {
      const body = await ctx.client.json<{ result: PersonRow[]; next_cursor: string | null }>('GET', PATH, {
        query: { ...query, ...(cursor ? { next_cursor: cursor } : {}) },
      })
      people.push(...body.result)
      if (!body.next_cursor) break
      cursor = body.next_cursor
    }
    ctx.out(renderRecords(summaryRows(people), ctx.output))
  })
  withExamples(summary, [
    'unimeter usage summary --tenant acme --month 2026-11',
    'unimeter usage summary --tenant acme --month 2026-11 --surface claude_code -o csv > november.csv',
    'unimeter usage summary -a sandbox-cursor --from 2026-11-01 --to 2026-11-15',
  ])
}
