/** `unimeter serve`: the gateway in the foreground, exactly what `npm start` runs. */
import type { Command } from 'commander'
import type { CliIO } from '../context'
import { UsageError } from '../errors'
import { withExamples } from '../help'

interface ServeOptions {
  port?: string
  host?: string
  db?: string
  sandbox: boolean
}

export function registerServe(program: Command, io: CliIO): void {
  const cmd = program
    .command('serve')
    .description(
      'Start the gateway (SQLite file, sandbox simulators) until Ctrl-C. Settings come from the environment (see README); flags override them.',
    )
    .option('--port <port>', 'port to listen on (env PORT, default 8787; 0 picks a free one)')
    .option('--host <host>', 'address to listen on (env HOST, default 127.0.0.1)')
    .option('--db <path>', 'SQLite database file (env UNIMETER_DATABASE_PATH, default ./data/unimeter.db)')
    .option('--no-sandbox', 'do not start the vendor simulators and sandbox accounts (env UNIMETER_SANDBOX=off)')
    .action(async (opts: ServeOptions) => {
      if (opts.port !== undefined && !/^\d{1,5}$/.test(opts.port))
        throw new UsageError(`--port must be a port number, got "${opts.port}"`, 'e.g. --port 8787')
      const env: Record<string, string | undefined> = { ...io.env }
      if (opts.port !== undefined) env.PORT = opts.port
      if (opts.host !== undefined) env.HOST = opts.host
      if (opts.db !== undefined) env.UNIMETER_DATABASE_PATH = opts.db
      if (!opts.sandbox) env.UNIMETER_SANDBOX = 'off'
      // Loaded on demand: the whole gateway is far more code than any other command needs.
      const { runGatewayInForeground } = await import('../../runtime/node/run-gateway')
      await runGatewayInForeground({ env, print: (text) => void io.stdout.write(`${text}\n`) })
    })
  withExamples(cmd, [
    'unimeter serve',
    'unimeter serve --port 9000 --db /var/lib/unimeter/unimeter.db --no-sandbox',
    'UNIMETER_LOG_LEVEL=debug unimeter serve',
  ])
}
