/**
 * Aligned plain-text tables for people at a terminal. Cells are cut to a readable width (the
 * json/yaml formats have everything), and remote_data is left out: it is the vendor's whole
 * record and would drown the unified fields.
 */
import { cellText, columnsOf } from './cells'

const MAX_CELL = 40
const HIDDEN = new Set(['remote_data'])

function cut(text: string, max: number): string {
  const flat = text.replace(/\s*[\r\n]+\s*/g, ' ')
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

function layout(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd()
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n'
}

export function recordsTable(records: Record<string, unknown>[]): string {
  if (records.length === 0) return '(no records)\n'
  const columns = columnsOf(records).filter((c) => !HIDDEN.has(c))
  return layout(
    columns,
    records.map((r) => columns.map((c) => cut(cellText(r[c]), MAX_CELL))),
  )
}

export function objectTable(obj: Record<string, unknown>): string {
  const keys = Object.keys(obj).filter((k) => !HIDDEN.has(k))
  return layout(
    ['FIELD', 'VALUE'],
    keys.map((k) => [k, cut(cellText(obj[k]), 100)]),
  )
}
