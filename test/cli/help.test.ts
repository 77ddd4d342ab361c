/**
 * `--help` on every command, with examples, exit 0. The tree is walked in-process through the
 * same runCli the binary runs (dozens of child processes would only add start-up time); one
 * child process checks the binary end to end.
 */
import { Writable } from 'node:stream'
import type { Command } from 'commander'
import { describe, expect, it } from 'vitest'
import type { CliIO } from '../../src/cli/context'
import { runCli as runInProcess } from '../../src/cli/main'
import { buildProgram } from '../../src/cli/program'
import { cliEnv, ROOT, runCli } from './support/cli'

function memoryIO(): { io: CliIO; out: () => string; err: () => string } {
  let out = ''
  let err = ''
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, cb) {
        append(String(chunk))
        cb()
      },
    })
  const io = { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)), stdin: process.stdin, env: {} } as unknown as CliIO
  return { io, out: () => out, err: () => err }
}

function paths(cmd: Command, prefix: string[] = []): string[][] {
  return cmd.commands.flatMap((c) => [[...prefix, c.name()], ...paths(c, [...prefix, c.name()])])
}

describe('--help', () => {
  const all = paths(buildProgram(memoryIO().io, '0'))

  it('covers the command groups the CLI promises', () => {
    const names = all.map((p) => p.join(' '))
    for (const expected of [
      'serve',
      'unified',
      'export',
      'integrations',
      'accounts create',
      'accounts list',
      'accounts get',
      'accounts update',
      'accounts delete',
      'sync-jobs create',
      'sync-jobs list',
      'sync-jobs run',
      'sync-jobs runs',
      'sync-jobs cancel',
      'tokens create',
      'tokens list',
      'tokens revoke',
      'webhooks create',
      'webhooks list',
      'webhooks get',
      'webhooks update',
      'webhooks delete',
      'jsonata eval',
      'mappings test',
      'usage list',
      'usage export',
      'usage summary',
    ]) {
      expect(names).toContain(expected)
    }
  })

  it.each(all.map((p) => [p.join(' '), p]))('unimeter %s --help: usage and examples, exit 0', async (_name, path) => {
    const { io, out, err } = memoryIO()
    const code = await runInProcess([...(path as string[]), '--help'], io)
    expect(code).toBe(0)
    expect(err()).toBe('')
    expect(out()).toMatch(/^Usage: unimeter /)
    expect(out()).toContain('\nExamples:\n  $ unimeter ')
  })

  it('runs as `npx unimeter` from the checkout (the package bin)', async () => {
    const { spawn } = await import('node:child_process')
    const npx = spawn('npm', ['exec', '--no', '--', 'unimeter', 'jsonata', 'eval', '-e', '1 + 1'], {
      cwd: ROOT,
      env: cliEnv(undefined),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    npx.stdout.setEncoding('utf8').on('data', (d: string) => (out += d))
    const code = await new Promise((resolve) => npx.once('close', resolve))
    expect(code).toBe(0)
    expect(out.trim()).toBe('2')
  })

  it('works from the binary, and a group without a subcommand is a usage error (2)', async () => {
    const [help, bare] = await Promise.all([runCli(['export', '--help']), runCli(['accounts'])])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('--resume')
    expect(help.stdout).toContain('$ unimeter export usage-metering/users -a sandbox-claude --out users.ndjson')
    expect(bare.code).toBe(2)
    expect(bare.stderr).toContain('Usage: unimeter accounts')
    expect(bare.stderr).toContain('hint: run `unimeter accounts --help`')
  })
})
