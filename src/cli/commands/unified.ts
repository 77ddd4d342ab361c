/**
 * `unimeter unified <model> <resource> [id]`: a list (one page, the next-page hint on stderr, or
 * every page with --all) or a get, in any output format.
 */
import { Option, type Command } from 'commander'
import { collect, parseJsonObject, parsePairs } from '../args/pairs'
import { cliContext, type CliContext, type CliIO } from '../context'
import { UsageError } from '../errors'
import { withExamples } from '../help'
import { printObject, printPages } from '../output/print'

interface UnifiedOptions {
  account: string
  method?: 'list' | 'get'
  query?: string[]
  queryJson?: string
  all?: boolean
}

const NAME = /^[a-z0-9][a-z0-9_-]*$/i

export function unifiedPath(model: string, resource: string, id?: string): string {
  for (const [what, value] of [
    ['model', model],
    ['resource', resource],
  ] as const) {
    if (!NAME.test(value))
      throw new UsageError(`"${value}" is not a unified ${what} name`, 'e.g. unimeter unified usage-metering users -a <account>')
  }
  return `/unified/${model}/${resource}${id === undefined ? '' : `/${encodeURIComponent(id)}`}`
}

/** The query of a unified call: -q pairs, then --query-json, then the account. */
export function unifiedQuery(opts: { account: string; query?: string[]; queryJson?: string }): Record<string, unknown> {
  return { ...parsePairs(opts.query, '-q'), ...parseJsonObject(opts.queryJson, '--query-json'), integrated_account_id: opts.account }
}

async function list(ctx: CliContext, path: string, query: Record<string, unknown>, all: boolean): Promise<void> {
  if (query.truto_response_format === 'stream') {
    // NDJSON already: copy it through as it arrives.
    const res = await ctx.client.stream(path, { query })
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) ctx.io.stdout.write(chunk)
    return
  }
  await printPages(ctx, path, query, { all, hint: (c) => `Next page: -q next_cursor=${c}` })
}

export function registerUnified(program: Command, io: CliIO): void {
  const cmd = program
    .command('unified')
    .description(
      'List or get unified records of an integrated account. A list prints one page (the next page hint goes to stderr); --all prints every page.',
    )
    .argument('<model>', 'unified model, e.g. usage-metering')
    .argument('<resource>', 'resource, e.g. users')
    .argument('[id]', 'a record id: get that record instead of listing')
    .requiredOption('-a, --account <id>', 'integrated account id (e.g. sandbox-claude)')
    .option('-q, --query <k=v,...>', 'query parameters, repeatable: limit=10,date=2026-01-31,truto_response_format=normalized', collect)
    .option('--query-json <json>', 'query parameters as a JSON object (nested values, commas in values)')
    .option('--all', 'follow next_cursor to the last page (lists only)')
    // Truto's CLI spelling (`truto unified <model> <resource> [id] -m get`); the API is read-only here.
    .addOption(new Option('-m, --method <method>', 'list or get (default: get with an id, else list)').choices(['list', 'get']))
    .action(async (model: string, resource: string, id: string | undefined, opts: UnifiedOptions, command: Command) => {
      const ctx = cliContext(command, io)
      const path = unifiedPath(model, resource, id)
      const query = unifiedQuery(opts)
      const method = opts.method ?? (id === undefined ? 'list' : 'get')
      if (method === 'get' && id === undefined)
        throw new UsageError('-m get needs a record id', 'e.g. unimeter unified usage-metering users <id> -a <account> -m get')
      if (method === 'list' && id !== undefined) throw new UsageError('-m list takes no record id', 'drop the id, or use -m get')
      if (id === undefined) return list(ctx, path, query, opts.all === true)
      if (opts.all) throw new UsageError('--all applies to lists, not to a get by id', `drop the id to list, or drop --all`)
      printObject(ctx, await ctx.client.json('GET', path, { query }))
    })
  withExamples(cmd, [
    'unimeter unified usage-metering users -a sandbox-claude',
    "unimeter unified usage-metering users -a sandbox-claude -q limit=10 -o json | jq '.[].name'",
    'unimeter unified usage-metering users -a sandbox-claude -q next_cursor=<cursor from the hint>',
    'unimeter unified usage-metering users -a sandbox-claude --all -o ndjson > users.ndjson',
    'unimeter unified usage-metering users -a sandbox-claude --query-json \'{"truto_exclude_fields":["remote_data"]}\'',
    'unimeter unified usage-metering users user_01ABC -a sandbox-claude -o yaml',
    'unimeter unified usage-metering users user_01ABC -a sandbox-claude -m get',
  ])
}
