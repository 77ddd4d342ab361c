/** `unimeter tokens create|list|revoke`: the gateway's API tokens. */
import type { Command } from 'commander'
import { cliContext, type CliIO } from '../context'
import { withExamples } from '../help'
import { printList, printObject } from '../output/print'
import { addIdCommand } from './by-id'

export function registerTokens(program: Command, io: CliIO): void {
  const tokens = program.command('tokens').alias('api-tokens').description('Create, list and revoke API tokens.')
  withExamples(tokens, ['unimeter tokens create ci', 'unimeter tokens list', 'unimeter tokens revoke <id>'])

  withExamples(
    tokens
      .command('create')
      .description('Create a token. It is printed once (stdout); only its hash is stored.')
      .argument('<name>', 'what the token is for, e.g. ci')
      .action(async (name: string, _opts: unknown, command: Command) => {
        const ctx = cliContext(command, io)
        const created = await ctx.client.json<Record<string, unknown>>('POST', '/api-token', { body: { name } })
        printObject(ctx, created)
        ctx.err('Keep the token now: it cannot be shown again.\n')
      }),
    ['unimeter tokens create ci', 'export UNIMETER_TOKEN=$(unimeter tokens create ci -o json | jq -r .token)'],
  )

  withExamples(
    tokens
      .command('list')
      .description('List tokens (never the tokens themselves): id, name, prefix, created, last used, revoked.')
      .action(async (_opts: unknown, command: Command) => printList(cliContext(command, io), '/api-token', {}, true)),
    ['unimeter tokens list', 'unimeter tokens list -o json | jq \'.[] | select(.revoked_at == null) | .name\''],
  )

  addIdCommand(tokens, io, {
    name: 'revoke',
    description: 'Revoke a token: requests with it are refused from now on.',
    argument: ['<id>', 'token id (from tokens list)'],
    method: 'DELETE',
    path: (id) => `/api-token/${encodeURIComponent(id)}`,
    examples: ['unimeter tokens revoke 3f2b…'],
  })
}
