/** The README matrix's "where each value comes from" section, for connectors with and without notes. */
import { describe, expect, it } from 'vitest'
import type { Integration } from '../../src/integrations/catalog-schema'
import { renderSupportMatrix } from '../../src/integrations/matrix-markdown'

const integration = (id: string, fieldSources: Record<string, string> | null): Integration => ({
  id,
  label: id.toUpperCase(),
  docs_url: null,
  base_url: `https://${id}.example`,
  credentials: [],
  context_fields: [],
  resources: [
    {
      model: 'usage-metering',
      resource: 'users',
      methods: ['list'],
      fields: { list: ['id', 'name'], get: [] },
      field_sources: fieldSources,
    },
  ],
})

describe('support matrix: field sources', () => {
  const md = renderSupportMatrix(
    [
      integration('documented', { name: 'The `name`,\nsplit | joined', id: 'The `id`.' }),
      integration('silent', null),
      integration('empty', {}),
    ],
    { 'usage-metering/users': ['id', 'name', 'emails'] },
  )

  it("prints a connector's notes as a table in schema order, one line per note, pipes escaped", () => {
    const section = md.slice(md.indexOf('#### DOCUMENTED'), md.indexOf('#### SILENT'))
    expect(section).toContain('| `id` | The `id`. |\n| `name` | The `name`, split \\| joined |')
    expect(section).not.toContain('`emails`')
  })

  it('says so for connectors without notes instead of an empty table', () => {
    for (const label of ['SILENT', 'EMPTY']) {
      const start = md.indexOf(`#### ${label}`)
      expect(md.slice(start, md.indexOf('\n\n', md.indexOf('\n\n', start) + 2))).toContain('does not document its field sources yet')
    }
  })
})
