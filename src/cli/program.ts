/** The `unimeter` command tree: global options, then one module per command group. */
import { Command, CommanderError, Option } from 'commander'
import { registerAccounts } from './commands/accounts'
import { registerExport } from './commands/export'
import { registerIntegrations } from './commands/integrations'
import { registerJsonata } from './commands/jsonata'
import { registerLogin } from './commands/login'
import { registerMappings } from './commands/mappings'
import { registerRotateKey } from './commands/rotate-key'
import { registerServe } from './commands/serve'
import { registerSyncJobs } from './commands/sync-jobs'
import { registerTokens } from './commands/tokens'
import { registerUnified } from './commands/unified'
import { registerUsage } from './commands/usage'
import { registerWebhooks } from './commands/webhooks'
import { DEFAULT_API_URL, type CliIO } from './context'
import { commandPath, withExamples } from './help'
import { OUTPUT_FORMATS } from './output/render'

/** A commander failure that remembers which command it came from, for the usage hint. */
export class CommandLineError extends Error {
  constructor(
    readonly commander: CommanderError,
    readonly command: Command,
  ) {
    super(commander.message)
  }
}

export function buildProgram(io: CliIO, version: string): Command {
  const program = new Command('unimeter')
    .description('Command line for a unimeter gateway: unified users and usage of AI-tool vendors, accounts, exports, sync jobs, mappings.')
    .version(version, '--version')
    .option('--api-url <url>', `gateway base URL (env UNIMETER_API_URL, default ${DEFAULT_API_URL})`)
    .option('--token <token>', 'API token (env UNIMETER_TOKEN)')
    .option('--profile <name>', 'use a profile saved by `unimeter login` (env UNIMETER_PROFILE; "default" is used when saved)')
    .addOption(new Option('-o, --output <format>', 'output format (default: table on a terminal, json when piped)').choices(OUTPUT_FORMATS))
    .option('-v, --verbose', 'print every request and response on stderr, secrets redacted')
    .configureOutput({ writeOut: (s) => void io.stdout.write(s), writeErr: (s) => void io.stderr.write(s) })
    .showSuggestionAfterError()
    .addHelpText('after', '\nExit codes: 0 success, 1 API/vendor error (error envelope on stderr), 2 usage error, 130 interrupted.')
  withExamples(program, [
    'unimeter serve',
    'export UNIMETER_TOKEN=um_…',
    'unimeter unified usage-metering users -a sandbox-claude -q limit=5',
    'unimeter export usage-metering/users -a sandbox-claude -o ndjson --out users.ndjson',
    'unimeter usage summary --tenant acme --month 2026-11',
    'unimeter accounts list -o yaml',
  ])

  registerServe(program, io)
  registerUnified(program, io)
  registerExport(program, io)
  registerUsage(program, io)
  registerAccounts(program, io)
  registerIntegrations(program, io)
  registerSyncJobs(program, io)
  registerTokens(program, io)
  registerRotateKey(program, io)
  registerWebhooks(program, io)
  registerLogin(program, io)
  registerJsonata(program, io)
  registerMappings(program, io)

  // Every command throws instead of exiting, carrying itself so the hint can name it.
  const wire = (cmd: Command) => {
    cmd.exitOverride((err) => {
      throw new CommandLineError(err, cmd)
    })
    cmd.commands.forEach(wire)
  }
  wire(program)
  return program
}

export function usageHint(cmd: Command): string {
  const path = commandPath(cmd)
  return `run \`unimeter ${path ? `${path} ` : ''}--help\` for usage and examples`
}
