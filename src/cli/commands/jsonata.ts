/** `unimeter jsonata eval`: one JSONata expression over a JSON file, with the mappings' functions. */
import type { Command } from 'commander'
import { cliContext, type CliIO } from '../context'
import { UsageError } from '../errors'
import { withExamples } from '../help'
import { readJsonFile, readText } from '../io/files'
import { printValue } from '../output/print'
import type { MappingInput } from '../../engine/mapping/mapping-engine'

export function registerJsonata(program: Command, io: CliIO): void {
  const jsonata = program
    .command('jsonata')
    .description('Try JSONata expressions with the functions mappings have ($toIso, $keyBy, $firstNonEmpty, …).')
  withExamples(jsonata, ["unimeter jsonata eval --expression 'data.email' --input users.json"])

  const evalCmd = jsonata
    .command('eval')
    .description('Evaluate an expression over a JSON input and print the result. A failing expression shows the line and column.')
    .option('-e, --expression <jsonata>', 'the expression')
    .option('--expression-file <file>', 'read the expression from a file (e.g. a mapping)')
    .option('-i, --input <file>', 'JSON input file, - for stdin (default: no input)')
    .action(async (opts: { expression?: string; expressionFile?: string; input?: string }, command: Command) => {
      const ctx = cliContext(command, io)
      if ((opts.expression === undefined) === (opts.expressionFile === undefined)) {
        throw new UsageError('give the expression with either --expression or --expression-file', 'e.g. --expression \'data.{"id": id}\'')
      }
      const source = opts.expression ?? (await readText(io, opts.expressionFile as string, '--expression-file'))
      const input = opts.input === undefined ? undefined : await readJsonFile(io, opts.input, '--input')
      // The JSONata engine loads only for the commands that evaluate expressions.
      const { compileExpression, evaluateExpression } = await import('../../engine/mapping/mapping-engine')
      const { expressionFailure } = await import('../io/expression-error')
      let result: unknown
      try {
        // Any JSON value is a valid JSONata input; MappingInput only types the mappings' bindings.
        result = await evaluateExpression(compileExpression(source), input as MappingInput)
      } catch (err) {
        throw expressionFailure(err, source, opts.expressionFile ?? 'The expression')
      }
      printValue(ctx, result)
    })
  withExamples(evalCmd, [
    'unimeter jsonata eval --expression \'data.{"id": id, "created": $toIso(added_at)}\' --input raw.json',
    "curl -s … | unimeter jsonata eval -e '$count(data)' --input -",
    'unimeter jsonata eval --expression-file mappings/usage-metering/users/claude/user.jsonata --input ctx.json',
  ])
}
