/** The many subcommands that are one request on one id (get, delete, revoke, cancel), printed. */
import type { Command } from 'commander'
import { cliContext, type CliIO } from '../context'
import { withExamples } from '../help'
import { printObject } from '../output/print'

export interface IdCommandSpec {
  name: string
  description: string
  /** The positional argument, e.g. ['<id>', 'account id']. */
  argument: [string, string]
  method: 'GET' | 'DELETE' | 'POST'
  path: (id: string) => string
  examples: string[]
}

export function addIdCommand(parent: Command, io: CliIO, spec: IdCommandSpec): void {
  const cmd = parent
    .command(spec.name)
    .description(spec.description)
    .argument(...spec.argument)
    .action(async (id: string, _opts: unknown, command: Command) => {
      const ctx = cliContext(command, io)
      printObject(ctx, await ctx.client.json(spec.method, spec.path(id)))
    })
  withExamples(cmd, spec.examples)
}
