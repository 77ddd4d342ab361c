/**
 * `unimeter integrations [id]`: the connectors and the support matrix. On a table each
 * integration is summarized on one line; json and yaml have the whole description.
 */
import type { Command } from 'commander'
import { cliContext, type CliIO } from '../context'
import { UsageError } from '../errors'
import { withExamples } from '../help'
import { printObject } from '../output/print'
import { renderRecords } from '../output/render'

interface Field {
  name: string
  secret: boolean
  required: boolean
}
interface Integration {
  id: string
  label: string
  credentials: Field[]
  context_fields: Field[]
  resources: Array<{ model: string; resource: string; methods: string[]; fields: Record<string, string[]> }>
}

const fieldNames = (fields: Field[]) => fields.map((f) => `${f.name}${f.secret ? ' (secret)' : ''}${f.required ? '' : '?'}`).join(', ')

function summary(i: Integration): Record<string, unknown> {
  return {
    id: i.id,
    label: i.label,
    credentials: fieldNames(i.credentials),
    context: fieldNames(i.context_fields),
    resources: i.resources.map((r) => `${r.model}/${r.resource} (${r.methods.join(',')})`).join('; '),
  }
}

/** One row per unified field of one integration: which methods fill it. */
function matrix(i: Integration): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = []
  for (const r of i.resources) {
    const fields = new Set(Object.values(r.fields).flat())
    for (const f of fields) {
      rows.push({
        resource: `${r.model}/${r.resource}`,
        field: f,
        ...Object.fromEntries(r.methods.map((m) => [m, r.fields[m]?.includes(f) ? 'yes' : '-'])),
      })
    }
  }
  return rows
}

export function registerIntegrations(program: Command, io: CliIO): void {
  const cmd = program
    .command('integrations')
    .description('The integrations this gateway has: credentials they need, resources and methods, and which unified fields each fills.')
    .argument('[id]', 'one integration: show its field support matrix')
    .action(async (id: string | undefined, _opts: unknown, command: Command) => {
      const ctx = cliContext(command, io)
      const { result } = await ctx.client.json<{ result: Integration[] }>('GET', '/integrations')
      if (id === undefined) {
        ctx.out(
          ctx.output === 'table' || ctx.output === 'csv'
            ? renderRecords(result.map(summary), ctx.output)
            : renderRecords(result as unknown as Record<string, unknown>[], ctx.output),
        )
        return
      }
      const one = result.find((i) => i.id === id)
      if (!one) throw new UsageError(`unknown integration "${id}"`, `available: ${result.map((i) => i.id).join(', ')}`)
      if (ctx.output === 'table') ctx.out(`${renderRecords([summary(one)], 'table')}\n${renderRecords(matrix(one), 'table')}`)
      else if (ctx.output === 'csv') ctx.out(renderRecords(matrix(one), 'csv'))
      else printObject(ctx, one)
    })
  withExamples(cmd, ['unimeter integrations', 'unimeter integrations claude', "unimeter integrations -o json | jq '.[].id'"])
}
