/** Every command's --help ends with examples that work as pasted (against the sandbox). */
import type { Command } from 'commander'

export function withExamples(cmd: Command, examples: string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}`)
}

/** The words of a command's path, e.g. "accounts create", for hints. */
export function commandPath(cmd: Command): string {
  const names: string[] = []
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name())
  return names.join(' ')
}
