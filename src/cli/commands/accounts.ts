/** `unimeter accounts create|list|get|update|delete`: integrated accounts. */
import type { Command } from 'commander'
import { collect, parsePositiveInt } from '../args/pairs'
import { cliContext, type CliIO } from '../context'
import { UsageError } from '../errors'
import { withExamples } from '../help'
import { printList, printObject } from '../output/print'
import { buildContext, fieldsOf, type ContextFlags } from './account-context'
import { addIdCommand } from './by-id'

const path = (id: string) => `/integrated-account/${encodeURIComponent(id)}`

function contextOptions(cmd: Command): Command {
  return cmd
    .option(
      '-c, --context <k=v,...>',
      'context fields, repeatable (instance settings; secrets here are visible in the process list)',
      collect,
    )
    .option('--context-json <json>', 'context as a JSON object')
    .option('--secret <field>', 'read this secret field from UNIMETER_CONTEXT_<FIELD> or a prompt without echo, repeatable', collect)
}

export function registerAccounts(program: Command, io: CliIO): void {
  const accounts = program
    .command('accounts')
    .alias('integrated-accounts')
    .description('Connect and manage integrated accounts. Credentials are never printed.')
  withExamples(accounts, [
    'unimeter accounts list',
    'unimeter accounts create --integration claude',
    'unimeter accounts get sandbox-claude -o yaml',
  ])

  withExamples(
    contextOptions(
      accounts
        .command('create')
        .description(
          'Connect an account. The gateway verifies the credentials with one vendor call before storing them encrypted. ' +
            'Required secrets not given with -c are read from UNIMETER_CONTEXT_<FIELD> or asked for without echo.',
        )
        .requiredOption('--integration <id>', 'connector id (see `unimeter integrations`)')
        .option('--tenant-id <id>', 'your customer this account belongs to'),
    ).action(async (opts: ContextFlags & { integration: string; tenantId?: string }, command: Command) => {
      const ctx = cliContext(command, io)
      const context = await buildContext(ctx, opts, await fieldsOf(ctx, opts.integration))
      const body = { integration: opts.integration, context, ...(opts.tenantId !== undefined ? { tenant_id: opts.tenantId } : {}) }
      printObject(ctx, await ctx.client.json('POST', '/integrated-account', { body }))
    }),
    [
      'unimeter accounts create --integration claude            # prompts for the Admin API key',
      'UNIMETER_CONTEXT_API_KEY=sk-ant-admin01-… unimeter accounts create --integration claude --tenant-id acme',
      'unimeter accounts create --integration neon -c org_id=org-123 --secret api_key',
    ],
  )

  withExamples(
    accounts
      .command('list')
      .description('List accounts (one page; --all for every page).')
      .option('--integration <id>', 'only this connector')
      .option('--tenant-id <id>', 'only this tenant')
      .option('--environment <env>', 'production or sandbox')
      .option('--limit <n>', 'accounts per page (1-500)')
      .option('--next-cursor <cursor>', 'continue after a previous page')
      .option('--all', 'every page')
      .action(
        async (
          opts: { integration?: string; tenantId?: string; environment?: string; limit?: string; nextCursor?: string; all?: boolean },
          command: Command,
        ) => {
          const ctx = cliContext(command, io)
          const query = {
            integration: opts.integration,
            tenant_id: opts.tenantId,
            environment: opts.environment,
            limit: parsePositiveInt(opts.limit, '--limit'),
            next_cursor: opts.nextCursor,
          }
          await printList(ctx, '/integrated-account', query, opts.all === true)
        },
      ),
    [
      'unimeter accounts list',
      'unimeter accounts list --integration claude -o json',
      'unimeter accounts list --environment sandbox -o csv > accounts.csv',
    ],
  )

  addIdCommand(accounts, io, {
    name: 'get',
    description: 'Show one account (its non-secret context and the names of its secret fields).',
    argument: ['<id>', 'account id'],
    method: 'GET',
    path,
    examples: ['unimeter accounts get sandbox-claude', 'unimeter accounts get sandbox-claude -o json | jq .status'],
  })

  withExamples(
    contextOptions(
      accounts
        .command('update')
        .description('Change the tenant or context (shallow merge). New credentials are verified with the vendor first.')
        .argument('<id>', 'account id')
        .option('--tenant-id <id>', 'new tenant id')
        .option('--unset <key>', 'remove a context key, repeatable', collect),
    ).action(async (id: string, opts: ContextFlags & { tenantId?: string }, command: Command) => {
      const ctx = cliContext(command, io)
      const context = await buildContext(ctx, opts, undefined)
      const body: Record<string, unknown> = {}
      if (opts.tenantId !== undefined) body.tenant_id = opts.tenantId
      if (Object.keys(context).length > 0) body.context = context
      if (Object.keys(body).length === 0)
        throw new UsageError('nothing to update', 'pass --tenant-id, -c k=v, --context-json, --secret <field> or --unset <key>')
      printObject(ctx, await ctx.client.json('PATCH', path(id), { body }))
    }),
    [
      'unimeter accounts update 0b6c… --secret api_key           # rotate the key (prompted)',
      'unimeter accounts update 0b6c… --tenant-id acme-eu',
      'unimeter accounts update 0b6c… --unset note',
    ],
  )

  addIdCommand(accounts, io, {
    name: 'delete',
    description: 'Delete an account and its stored credentials.',
    argument: ['<id>', 'account id'],
    method: 'DELETE',
    path,
    examples: ['unimeter accounts delete 0b6c…'],
  })
}
