/** RFC 4180 CSV: a header row, then one row per record; nested values as JSON text. */
import { cellText } from './cells'

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function csvRow(values: string[]): string {
  return `${values.map(csvField).join(',')}\r\n`
}

export function csvRecord(record: Record<string, unknown>, columns: string[]): string {
  return csvRow(columns.map((c) => cellText(record[c])))
}

/** The fields of one CSV record (the inverse of csvRow, without its line end). */
export function parseCsvRecord(text: string): string[] {
  const fields: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      fields.push(field)
      field = ''
    } else if (ch !== '\r' && ch !== '\n') field += ch
  }
  fields.push(field)
  return fields
}
