/** `unimeter sync-jobs create|list|get|delete|run|runs|cancel`: copies of vendor data kept in sync. */
import type { Command } from 'commander'
import { collect, parseJsonObject, parsePairs, parsePositiveInt } from '../args/pairs'
import { cliContext, type CliIO } from '../context'
import { UsageError } from '../errors'
import { withExamples } from '../help'
import { printList, printObject } from '../output/print'
import { addIdCommand, type IdCommandSpec } from './by-id'
import { followRun } from './sync-run-follow'

const jobPath = (id: string) => `/sync-job/${encodeURIComponent(id)}`

interface CreateOptions {
  account: string
  resource?: string[]
  query?: string[]
  queryJson?: string
  schedule?: string
  inactive?: boolean
}

export function registerSyncJobs(program: Command, io: CliIO): void {
  const jobs = program
    .command('sync-jobs')
    .description("Sync jobs: copy an account's records into the gateway on demand or on a schedule, and follow their runs.")
  withExamples(jobs, ['unimeter sync-jobs create -a sandbox-claude --schedule "0 * * * *"', 'unimeter sync-jobs run <job-id> --wait'])

  withExamples(
    jobs
      .command('create')
      .description('Create a sync job for an account.')
      .requiredOption('-a, --account <id>', 'integrated account id')
      .option('--resource <model/resource>', 'resource to sync, repeatable (default usage-metering/users)', collect)
      .option(
        '-q, --query <k=v,...>',
        'list parameters for every resource, repeatable (e.g. limit=100; whole numbers are sent as numbers)',
        collect,
      )
      .option('--query-json <json>', 'list parameters as a JSON object')
      .option('--schedule <cron>', 'cron expression in UTC (default: manual runs only)')
      .option('--inactive', 'create it unscheduled')
      .action(async (opts: CreateOptions, command: Command) => {
        const ctx = cliContext(command, io)
        // The job stores a JSON query, where a page size is a number: whole-number -q values are
        // sent as numbers (--query-json gives exact types).
        const pairs = Object.entries(parsePairs(opts.query, '-q')).map(([k, v]) => [
          k,
          typeof v === 'string' && /^(0|[1-9]\d{0,14})$/.test(v) ? Number(v) : v,
        ])
        const query = { ...Object.fromEntries(pairs), ...parseJsonObject(opts.queryJson, '--query-json') }
        const resources = (opts.resource ?? ['usage-metering/users']).map((resource) => ({
          resource,
          method: 'list',
          ...(Object.keys(query).length ? { query } : {}),
        }))
        const body = {
          integrated_account_id: opts.account,
          resources,
          ...(opts.schedule ? { schedule: opts.schedule } : {}),
          ...(opts.inactive ? { is_active: false } : {}),
        }
        printObject(ctx, await ctx.client.json('POST', '/sync-job', { body }))
      }),
    [
      'unimeter sync-jobs create -a sandbox-claude',
      'unimeter sync-jobs create -a sandbox-claude --schedule "*/30 * * * *" -q limit=500 -o json | jq -r .id',
    ],
  )

  withExamples(
    jobs
      .command('list')
      .description('List sync jobs.')
      .option('-a, --account <id>', "only this account's jobs")
      .option('--next-cursor <cursor>', 'continue after a previous page')
      .option('--all', 'every page')
      .action(async (opts: { account?: string; nextCursor?: string; all?: boolean }, command: Command) =>
        printList(
          cliContext(command, io),
          '/sync-job',
          { integrated_account_id: opts.account, next_cursor: opts.nextCursor },
          opts.all === true,
        ),
      ),
    ['unimeter sync-jobs list', 'unimeter sync-jobs list -a sandbox-claude -o json'],
  )

  addIdCommand(jobs, io, {
    name: 'get',
    description: 'Show one sync job.',
    argument: ['<id>', 'sync job id'],
    method: 'GET',
    path: jobPath,
    examples: ['unimeter sync-jobs get <job-id>'],
  })
  addIdCommand(jobs, io, {
    name: 'delete',
    description: 'Delete a sync job (and its runs).',
    argument: ['<id>', 'sync job id'],
    method: 'DELETE',
    path: jobPath,
    examples: ['unimeter sync-jobs delete <job-id>'],
  })

  withExamples(
    jobs
      .command('run')
      .description('Start a run now. With --wait, follow it (progress bar on a terminal) and exit 1 unless it succeeds.')
      .argument('<id>', 'sync job id')
      .option('--wait', 'follow the run until it ends')
      .option('--interval <ms>', "how often --wait asks for the run's state (default 500)")
      .option('--progress', 'show the progress bar even when stderr is not a terminal')
      .option('--no-progress', 'never show the progress bar')
      .action(async (id: string, opts: { wait?: boolean; interval?: string; progress?: boolean }, command: Command) => {
        const ctx = cliContext(command, io)
        const interval = parsePositiveInt(opts.interval, '--interval') ?? 500
        const run = await ctx.client.json<{ id: string }>('POST', `${jobPath(id)}/run`)
        if (!opts.wait) return printObject(ctx, run)
        await followRun(ctx, run.id, { intervalMs: interval, progress: opts.progress ?? io.stderr.isTTY === true })
      }),
    ['unimeter sync-jobs run <job-id>', 'unimeter sync-jobs run <job-id> --wait'],
  )

  withExamples(
    jobs
      .command('runs')
      .description('List the runs of a sync job, newest first, or show one run with --run.')
      .argument('[job-id]', 'sync job id')
      .option('--run <run-id>', 'show this run')
      .option('--next-cursor <cursor>', 'continue after a previous page')
      .option('--all', 'every page')
      .action(async (jobId: string | undefined, opts: { run?: string; nextCursor?: string; all?: boolean }, command: Command) => {
        const ctx = cliContext(command, io)
        if (opts.run) return printObject(ctx, await ctx.client.json('GET', `/sync-job-run/${encodeURIComponent(opts.run)}`))
        if (!jobId) throw new UsageError('give a sync job id, or --run <run-id>', 'e.g. unimeter sync-jobs runs <job-id>')
        await printList(ctx, '/sync-job-run', { sync_job_id: jobId, next_cursor: opts.nextCursor }, opts.all === true)
      }),
    ['unimeter sync-jobs runs <job-id>', 'unimeter sync-jobs runs --run <run-id> -o yaml'],
  )

  addIdCommand(jobs, io, cancelRunCommand('sync-jobs'))
  registerSyncJobRuns(program, io)
}

/** `cancel <run-id>`, under either group. */
function cancelRunCommand(group: string): IdCommandSpec {
  return {
    name: 'cancel',
    description: 'Stop a created or running run; prints the run once it has stopped.',
    argument: ['<run-id>', 'sync job run id'],
    method: 'POST',
    path: (runId) => `/sync-job-run/${encodeURIComponent(runId)}/cancel`,
    examples: [`unimeter ${group} cancel <run-id>`],
  }
}

/** `unimeter sync-job-runs list|get|create|cancel`: Truto's CLI name for runs. */
function registerSyncJobRuns(program: Command, io: CliIO): void {
  const runs = program.command('sync-job-runs').description("Runs of sync jobs (Truto's spelling; `sync-jobs runs` shows the same).")
  withExamples(runs, ['unimeter sync-job-runs list --job <job-id>', 'unimeter sync-job-runs create --job <job-id> -a sandbox-claude'])
  withExamples(
    runs
      .command('list')
      .description('List runs, newest first.')
      .option('--job <id>', 'only runs of this sync job')
      .option('-a, --account <id>', 'only runs for this integrated account')
      .option('--next-cursor <cursor>', 'continue after a previous page')
      .option('--all', 'every page')
      .action(async (opts: { job?: string; account?: string; nextCursor?: string; all?: boolean }, command: Command) => {
        const query = { sync_job_id: opts.job, integrated_account_id: opts.account, next_cursor: opts.nextCursor }
        await printList(cliContext(command, io), '/sync-job-run', query, opts.all === true)
      }),
    ['unimeter sync-job-runs list --job <job-id>', 'unimeter sync-job-runs list -a sandbox-claude -o json'],
  )
  addIdCommand(runs, io, {
    name: 'get',
    description: 'Show one run.',
    argument: ['<id>', 'sync job run id'],
    method: 'GET',
    path: (id) => `/sync-job-run/${encodeURIComponent(id)}`,
    examples: ['unimeter sync-job-runs get <run-id>'],
  })
  withExamples(
    runs
      .command('create')
      .description('Start a run of a sync job for an account (POST /sync-job-run; a Truto-style job runs per account).')
      .requiredOption('--job <id>', 'sync job id')
      .requiredOption('-a, --account <id>', 'integrated account id')
      .action(async (opts: { job: string; account: string }, command: Command) => {
        const ctx = cliContext(command, io)
        printObject(
          ctx,
          await ctx.client.json('POST', '/sync-job-run', { body: { sync_job_id: opts.job, integrated_account_id: opts.account } }),
        )
      }),
    ['unimeter sync-job-runs create --job <job-id> -a sandbox-claude'],
  )
  addIdCommand(runs, io, cancelRunCommand('sync-job-runs'))
}
