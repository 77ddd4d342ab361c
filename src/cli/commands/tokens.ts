/** `unimeter tokens create|list|revoke`: the gateway's API tokens. */
import { Option, type Command } from 'commander'
import { TOKEN_ROLES } from '../../accounts/token-roles'
import { cliContext, type CliIO } from '../context'
import { withExamples } from '../help'
import { printList, printObject } from '../output/print'
import { addIdCommand } from './by-id'

export function registerTokens(program: Command, io: CliIO): void {
  const tokens = program.command('tokens').alias('api-tokens').description('Create, list and revoke API tokens.')
  withExamples(tokens, [
    'unimeter tokens create ci',
    'unimeter tokens create dashboard --role read',
    'unimeter tokens list',
    'unimeter tokens revoke <id>',
  ])

  withExamples(
    tokens
      .command('create')
      .description(
        'Create a token. It is printed once (stdout); only its hash is stored. Roles: admin (everything, the default), ' +
          'write (everything except managing tokens), read (GET requests only, never tokens). A token bound to a tenant ' +
          "sees and changes only that tenant's integrated accounts, their users, sync jobs and runs, and no webhooks or tokens.",
      )
      .argument('<name>', 'what the token is for, e.g. ci')
      .addOption(new Option('--role <role>', 'what the token may do (default: admin)').choices(TOKEN_ROLES))
      .option('--tenant <tenant_id>', 'bind the token to this tenant: it sees only integrated accounts with this tenant_id')
      .action(async (name: string, opts: { role?: string; tenant?: string }, command: Command) => {
        const ctx = cliContext(command, io)
        const body = { name, ...(opts.role ? { role: opts.role } : {}), ...(opts.tenant !== undefined ? { tenant_id: opts.tenant } : {}) }
        const created = await ctx.client.json<Record<string, unknown>>('POST', '/api-token', { body })
        printObject(ctx, created)
        ctx.err('Keep the token now: it cannot be shown again.\n')
      }),
    [
      'unimeter tokens create ci',
      'unimeter tokens create dashboard --role read',
      'unimeter tokens create acme-portal --role write --tenant acme',
      'export UNIMETER_TOKEN=$(unimeter tokens create ci -o json | jq -r .token)',
    ],
  )

  withExamples(
    tokens
      .command('list')
      .description('List tokens (never the tokens themselves): id, name, prefix, created, last used, revoked, role, tenant.')
      .action(async (_opts: unknown, command: Command) => printList(cliContext(command, io), '/api-token', {}, true)),
    ['unimeter tokens list', "unimeter tokens list -o json | jq '.[] | select(.revoked_at == null) | .name'"],
  )

  addIdCommand(tokens, io, {
    name: 'revoke',
    description: 'Revoke a token: requests with it are refused from now on. Needs an admin token; the last admin token cannot be revoked.',
    argument: ['<id>', 'token id (from tokens list)'],
    method: 'DELETE',
    path: (id) => `/api-token/${encodeURIComponent(id)}`,
    examples: ['unimeter tokens revoke 3f2b…'],
  })
}
