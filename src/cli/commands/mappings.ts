/**
 * `unimeter mappings test`: runs a connector's real response mapping (the file the gateway runs)
 * over a saved vendor response and prints the unified records, so a mapping can be written and
 * checked without a gateway or a vendor. Locally: this reads the checkout's connectors/ and
 * mappings/, not a remote gateway's.
 */
import { resolve } from 'node:path'
import type { Command } from 'commander'
import { collect, parseJsonObject, parsePairs } from '../args/pairs'
import { cliContext, type CliIO } from '../context'
import { LocalError, UsageError } from '../errors'
import { withExamples } from '../help'
import { readJsonFile, readText } from '../io/files'
import { printValue } from '../output/print'
import type { ConnectorRegistry } from '../../../connectors/registry'
import type { ResourceMethods } from '../../engine/connector-types'
import { MAPPINGS_DIR } from '../../runtime/node/mapping-files'

interface TestOptions {
  integration: string
  resource: string
  model: string
  method: string
  input: string
  mapping?: string
  query?: string[]
  contextJson?: string
  headersJson?: string
  sideload?: string
}

/** The response mapping file a method runs (a get served by walking the list runs the list's). */
function responseMappingFile(methods: ResourceMethods, method: 'list' | 'get'): string | undefined {
  const spec = methods[method]
  if (!spec) return undefined
  return 'via' in spec ? methods.list?.mappings.response : spec.mappings.response
}

function mappingPath(connectors: ConnectorRegistry, opts: TestOptions): { key: string; file: string } {
  const connector = connectors.get(opts.integration)
  if (!connector) throw new UsageError(`unknown integration "${opts.integration}"`, `available: ${connectors.ids().join(', ')}`)
  const [model, resource] = opts.resource.includes('/') ? opts.resource.split('/', 2) : [opts.model, opts.resource]
  const key = `${model}/${resource}`
  const methods = connector.resources[key]
  if (!methods) throw new UsageError(`${connector.label} has no ${key}`, `its resources: ${Object.keys(connector.resources).join(', ')}`)
  if (opts.method !== 'list' && opts.method !== 'get') throw new UsageError(`--method must be list or get, got "${opts.method}"`)
  const file = responseMappingFile(methods, opts.method)
  if (!file) throw new UsageError(`${connector.label} has no ${opts.method} for ${key}`)
  return { key, file: opts.mapping ? resolve(opts.mapping) : resolve(MAPPINGS_DIR, key, connector.id, file) }
}

export function registerMappings(program: Command, io: CliIO): void {
  const mappings = program.command('mappings').description('Author and check response mappings (JSONata files under mappings/).')
  withExamples(mappings, ['unimeter mappings test --integration claude --resource users --method list --input raw.json'])

  const test = mappings
    .command('test')
    .description(
      'Run the real response mapping of a connector over a saved vendor response and print the unified records ' +
        '(a list gives every record, a get the one record). A failing mapping shows the file, line and column.',
    )
    .requiredOption('--integration <id>', 'connector id, e.g. claude')
    .requiredOption('--resource <name>', 'resource, e.g. users (or usage-metering/users)')
    .option('--model <model>', 'unified model', 'usage-metering')
    .option('--method <method>', 'list or get', 'list')
    .requiredOption('--input <file>', 'the vendor response body as JSON, - for stdin')
    .option('--mapping <file>', "run this mapping file instead of the connector's (while writing one)")
    .option('-q, --query <k=v,...>', 'unified query the mapping sees as `query` (repeatable)', collect)
    .option('--context-json <json>', 'account context the mapping sees as `context`')
    .option('--headers-json <json>', 'response headers the mapping sees as `headers`')
    .option('--sideload <file>', 'side-loaded records as a JSON object, e.g. {"activity": [...]}')
    .action(async (opts: TestOptions, command: Command) => {
      const ctx = cliContext(command, io)
      // Loaded on demand: every connector's definition and the JSONata engine are only needed here.
      const { connectors } = await import('../../../connectors/index')
      const { compileExpression, evaluateExpression } = await import('../../engine/mapping/mapping-engine')
      const { expressionFailure } = await import('../io/expression-error')
      const { file } = mappingPath(connectors, opts)
      const source = await readText(io, file, '--mapping')
      const response = await readJsonFile(io, opts.input, '--input')
      const sideload = opts.sideload === undefined ? {} : await readJsonFile(io, opts.sideload, '--sideload')
      if (!sideload || typeof sideload !== 'object' || Array.isArray(sideload))
        throw new UsageError('--sideload must hold a JSON object of side loads')
      const query = parsePairs(opts.query, '-q')
      let mapped: unknown
      try {
        mapped = await evaluateExpression(
          compileExpression(source, file),
          {
            response,
            query,
            rawQuery: query,
            context: parseJsonObject(opts.contextJson, '--context-json'),
            headers: parseJsonObject(opts.headersJson, '--headers-json') as Record<string, string>,
            sideload: sideload as Record<string, unknown>,
          },
          file,
        )
      } catch (err) {
        throw expressionFailure(err, source, file)
      }
      // As the gateway does: a list keeps the objects (null drops a record), a get the first.
      const list = mapped === undefined || mapped === null ? [] : Array.isArray(mapped) ? mapped : [mapped]
      const records = list.filter((r) => r !== null)
      const bad = records.find((r) => typeof r !== 'object' || Array.isArray(r))
      if (bad !== undefined) throw new LocalError(`the mapping must return records (objects), got ${JSON.stringify(bad)}`)
      if (opts.method === 'get') {
        if (records.length === 0) throw new LocalError('the mapping returned no record for this response')
        printValue(ctx, records[0])
      } else printValue(ctx, records)
    })
  withExamples(test, [
    'unimeter unified usage-metering users -a sandbox-claude -q truto_response_format=raw -o json > raw.json   # a saved vendor page',
    'unimeter mappings test --integration claude --resource users --method list --input raw.json',
    'unimeter mappings test --integration claude --resource users --method get --input user.json -o yaml',
    'unimeter mappings test --integration claude --resource users --input raw.json --mapping my-draft.jsonata',
  ])
}
