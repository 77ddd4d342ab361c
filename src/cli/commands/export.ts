/** `unimeter export <model>/<resource>`: every record of an account to NDJSON or CSV, resumable. */
import type { Command } from 'commander'
import { collect, parsePositiveInt } from '../args/pairs'
import { cliContext, type CliContext, type CliIO } from '../context'
import { UsageError } from '../errors'
import { resumeExport, startExport } from '../export/run-export'
import type { ExportFormat } from '../export/sidecar'
import { withExamples } from '../help'
import { unifiedPath, unifiedQuery } from './unified'

export interface ExportOptions {
  account?: string
  query?: string[]
  queryJson?: string
  out?: string
  resume?: boolean
  force?: boolean
  pageSize?: string
  progress?: boolean
}

const DEFAULT_PAGE_SIZE = 500
const MAX_PAGE_SIZE = 1000

function parseTarget(target: string): { model: string; resource: string } {
  const parts = target.split('/')
  if (parts.length !== 2)
    throw new UsageError(`"${target}" is not <model>/<resource>`, 'e.g. unimeter export usage-metering/users -a sandbox-claude')
  unifiedPath(parts[0], parts[1])
  return { model: parts[0], resource: parts[1] }
}

/** -o picks the file format; without it, the --out extension does (.csv), else NDJSON. */
function formatOf(output: string | undefined, out: string | undefined): ExportFormat | undefined {
  if (output === undefined) return out?.toLowerCase().endsWith('.csv') ? 'csv' : undefined
  if (output !== 'ndjson' && output !== 'csv') throw new UsageError(`export writes ndjson or csv, not ${output}`, 'use -o ndjson or -o csv')
  return output
}

export function registerExport(program: Command, io: CliIO): void {
  const cmd = program
    .command('export')
    .description(
      'Export every record of a unified resource through the stream format, to a file or stdout, with a progress bar on a terminal. ' +
        'Interrupted (Ctrl-C), the file keeps every complete record and a small <out>.export-state.json; --resume continues it.',
    )
    .argument('[model/resource]', 'e.g. usage-metering/users (optional with --resume)')
    .option('-a, --account <id>', 'integrated account id (optional with --resume)')
    .option('-q, --query <k=v,...>', 'query parameters, repeatable (e.g. date=2026-01-31,truto_ignore_remote_data=true)', collect)
    .option('--query-json <json>', 'query parameters as a JSON object')
  withExportOptions(cmd).action((target: string | undefined, opts: ExportOptions, command: Command) =>
    runExport(cliContext(command, io), target === undefined ? undefined : parseTarget(target), opts),
  )
  withExamples(cmd, [
    'unimeter export usage-metering/users -a sandbox-claude --out users.ndjson',
    'unimeter export usage-metering/users -a sandbox-claude -o csv --out users.csv -q truto_ignore_remote_data=true',
    'unimeter export usage-metering/users -a sandbox-claude --out users.ndjson --resume   # after Ctrl-C',
    "unimeter export usage-metering/users -a sandbox-claude | jq -c '{id, name}'",
  ])
}

/** The export options every exporting command shares (`export`, `usage export`). */
export function withExportOptions(cmd: Command): Command {
  return cmd
    .option('--out <file>', 'file to write (default: stdout, which cannot be resumed)')
    .option('--resume', 'continue the interrupted export in --out')
    .option('--force', 'replace an existing --out (and any partial-export state)')
    .option('--page-size <n>', `records per page the gateway fetches (1-${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE})`)
    .option('--progress', 'show the progress bar even when stderr is not a terminal')
    .option('--no-progress', 'never show the progress bar')
}

/** An export (or its resume) of `parsed`; `extraQuery` is what the command's own flags add. */
export async function runExport(
  ctx: CliContext,
  parsed: { model: string; resource: string } | undefined,
  opts: ExportOptions,
  extraQuery: Record<string, unknown> = {},
): Promise<void> {
  const format = formatOf(ctx.outputGiven ? ctx.output : undefined, opts.out)
  const progress = opts.progress ?? ctx.io.stderr.isTTY === true
  if (opts.resume) {
    if (!opts.out) throw new UsageError('--resume needs the --out file of the interrupted export')
    if (opts.force) throw new UsageError('--resume continues a file and --force replaces it: pick one')
    return resumeExport(ctx, opts.out, { target: parsed, account: opts.account, format, progress })
  }
  if (!parsed)
    throw new UsageError('missing <model>/<resource>', 'e.g. unimeter export usage-metering/users -a sandbox-claude --out users.ndjson')
  if (!opts.account) throw new UsageError('missing -a <account>', 'e.g. -a sandbox-claude (see `unimeter accounts list`)')
  const pageSize = parsePositiveInt(opts.pageSize, '--page-size') ?? DEFAULT_PAGE_SIZE
  if (pageSize > MAX_PAGE_SIZE) throw new UsageError(`--page-size is at most ${MAX_PAGE_SIZE}`)
  const query = { ...extraQuery, ...unifiedQuery({ account: opts.account, query: opts.query, queryJson: opts.queryJson }) }
  delete query.integrated_account_id
  for (const key of ['truto_response_format', 'next_cursor', 'cursor', 'limit', 'truto_key_by']) {
    if (key in query) throw new UsageError(`export sets ${key} itself`, key === 'limit' ? 'use --page-size' : `drop -q ${key}`)
  }
  await startExport(ctx, {
    ...parsed,
    account: opts.account,
    query,
    format: format ?? 'ndjson',
    out: opts.out,
    pageSize,
    progress,
    force: opts.force === true,
  })
}
