/**
 * Entry of the `unimeter` command (bin/unimeter.js loads this through tsx): parses the command
 * line, runs the command, and turns every outcome into the documented exit code.
 */
import { readFileSync } from 'node:fs'
import type { CliIO } from './context'
import { EXIT_OK, EXIT_USAGE, reportError } from './errors'
import { buildProgram, CommandLineError, usageHint } from './program'

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version

/** Runs one command line (without `node` and the script) and resolves to its exit code. */
export async function runCli(args: string[], io: CliIO): Promise<number> {
  const program = buildProgram(io, VERSION)
  try {
    await program.parseAsync(args, { from: 'user' })
    return EXIT_OK
  } catch (err) {
    if (err instanceof CommandLineError) {
      const { code, exitCode } = err.commander
      // --help and --version end the run successfully; everything else commander refuses is a
      // usage error (commander already printed what was wrong).
      if (code === 'commander.helpDisplayed' || code === 'commander.version' || (code === 'commander.help' && exitCode === 0))
        return EXIT_OK
      io.stderr.write(`hint: ${usageHint(err.command)}\n`)
      return EXIT_USAGE
    }
    return reportError(err, (text) => void io.stderr.write(text), args.includes('-v') || args.includes('--verbose'))
  }
}

function flush(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    if (!stream.write('', () => resolve())) stream.once('drain', () => resolve())
  })
}

export async function main(argv: string[]): Promise<void> {
  // A reader that goes away (`| head`) is not an error of ours.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(EXIT_OK)
    throw err
  })
  const io: CliIO = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env }
  const code = await runCli(argv.slice(2), io)
  await flush(process.stdout)
  await flush(process.stderr)
  // Exit explicitly: an aborted export or a finished `serve` may leave idle sockets behind.
  process.exit(code)
}
