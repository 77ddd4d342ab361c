/**
 * The support matrix as Markdown, rendered from `GET /integrations` data: the README's copy is
 * this text between the markers, so a test can regenerate it and compare.
 */
import type { FieldSpec, Integration } from './catalog-schema'

const MATRIX_START = '<!-- support-matrix:start -->'
const MATRIX_END = '<!-- support-matrix:end -->'

/** Unified resource key (`usage-metering/users`) → its fields in schema order. */
type ResourceFields = Record<string, string[]>

const fieldList = (fields: FieldSpec[]) =>
  fields.length === 0 ? '—' : fields.map((f) => `\`${f.name}\`${f.secret ? ' (secret)' : ''}${f.required ? '' : ' (optional)'}`).join(', ')

function integrationsTable(integrations: Integration[]): string[] {
  const lines = ['| integration | id | resources and methods | credentials | context fields |', '|---|---|---|---|---|']
  for (const i of integrations) {
    const resources = i.resources.map((r) => `${r.model}/${r.resource}: ${r.methods.join(', ')}`).join('; ') || '—'
    lines.push(`| ${i.label} | \`${i.id}\` | ${resources} | ${fieldList(i.credentials)} | ${fieldList(i.context_fields)} |`)
  }
  return lines
}

function cell(integration: Integration, key: string, field: string): string {
  const r = integration.resources.find((x) => `${x.model}/${x.resource}` === key)
  if (!r) return 'n/a'
  const byMethod = r.methods.filter((m) => r.fields[m].includes(field))
  if (byMethod.length === 0) return '—'
  return byMethod.length === r.methods.length ? '✓' : byMethod.join(', ')
}

function fieldTable(integrations: Integration[], key: string, fields: string[]): string[] {
  const lines = [`| ${key} | ${integrations.map((i) => i.label).join(' | ')} |`, `|---|${integrations.map(() => ':-:|').join('')}`]
  for (const field of fields) lines.push(`| \`${field}\` | ${integrations.map((i) => cell(i, key, field)).join(' | ')} |`)
  return lines
}

/** Text safe inside a Markdown table cell. */
const cellText = (text: string) => text.replace(/\s+/g, ' ').replace(/\|/g, '\\|')

/** Per vendor and resource, the connector's note on where each field comes from. */
function sourceNotes(integrations: Integration[], resources: ResourceFields): string[] {
  const lines = ['### Where each value comes from', '']
  for (const i of integrations) {
    for (const r of i.resources) {
      const key = `${r.model}/${r.resource}`
      lines.push(`#### ${i.label} · ${key}`, '')
      const notes = r.field_sources
      if (!notes || Object.keys(notes).length === 0) {
        lines.push('_This connector does not document its field sources yet._', '')
        continue
      }
      lines.push('| field | source |', '|---|---|')
      for (const field of resources[key] ?? Object.keys(notes))
        if (notes[field] !== undefined) lines.push(`| \`${field}\` | ${cellText(notes[field])} |`)
      lines.push('')
    }
  }
  return lines
}

/** The whole generated block, markers included. */
export function renderSupportMatrix(integrations: Integration[], resources: ResourceFields): string {
  const lines = [
    MATRIX_START,
    '<!-- Generated from GET /integrations by `npm run docs:matrix`; edit the connectors and mappings, not this table. -->',
    '',
  ]
  lines.push(...integrationsTable(integrations), '')
  for (const [key, fields] of Object.entries(resources)) lines.push(...fieldTable(integrations, key, fields), '')
  lines.push(
    '✓ filled by every method the integration offers · `list` / `get` filled by that method only · — not filled · n/a resource not offered',
    '',
  )
  lines.push(...sourceNotes(integrations, resources), MATRIX_END)
  return lines.join('\n')
}

/** The block currently between the markers of a document, markers included, or undefined. */
export function extractSupportMatrix(doc: string): string | undefined {
  const start = doc.indexOf(MATRIX_START)
  const end = doc.indexOf(MATRIX_END)
  if (start < 0 || end < start) return undefined
  return doc.slice(start, end + MATRIX_END.length)
}

/** The document with its block replaced (or appended when it has none yet). */
export function replaceSupportMatrix(doc: string, block: string): string {
  const current = extractSupportMatrix(doc)
  if (current === undefined) return `${doc.trimEnd()}\n\n${block}\n`
  return doc.replace(current, () => block)
}
