/**
 * `-o json|ndjson|table|csv|yaml` for everything a command prints: a list of records (written
 * page by page, so `--all` streams in json and ndjson) or a single object.
 */
import { createRequire } from 'node:module'
import { columnsOf } from './cells'
import { csvRecord, csvRow } from './csv'
import { objectTable, recordsTable } from './table'

export const OUTPUT_FORMATS = ['json', 'ndjson', 'table', 'csv', 'yaml'] as const
export type OutputFormat = (typeof OUTPUT_FORMATS)[number]

type Row = Record<string, unknown>

// yaml is dozens of modules; loading it only for -o yaml keeps every other command's start fast.
const requireLazily = createRequire(import.meta.url)
const toYaml = (value: unknown): string => (requireLazily('yaml') as typeof import('yaml')).stringify(value)
type Write = (text: string) => void

interface RecordWriter {
  write(records: Row[]): void
  end(): void
}

const indented = (r: Row) => JSON.stringify(r, null, 2).replace(/^/gm, '  ')

/**
 * json and ndjson go out as the records arrive (the json array is assembled incrementally and
 * reads exactly like JSON.stringify(all, null, 2)); table, csv and yaml need every record first
 * (column widths, the header's columns), so they are written at the end.
 */
export function recordWriter(format: OutputFormat, write: Write): RecordWriter {
  if (format === 'ndjson') {
    return { write: (records) => records.length && write(records.map((r) => `${JSON.stringify(r)}\n`).join('')), end: () => {} }
  }
  if (format === 'json') {
    let count = 0
    return {
      write(records) {
        for (const r of records) write(`${count++ === 0 ? '[\n' : ',\n'}${indented(r)}`)
      },
      end: () => write(count === 0 ? '[]\n' : '\n]\n'),
    }
  }
  const all: Row[] = []
  return {
    write: (records) => void all.push(...records),
    end: () => write(renderRecords(all, format)),
  }
}

export function renderRecords(records: Row[], format: OutputFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(records, null, 2)}\n`
    case 'ndjson':
      return records.map((r) => `${JSON.stringify(r)}\n`).join('')
    case 'yaml':
      return toYaml(records)
    case 'table':
      return recordsTable(records)
    case 'csv': {
      const columns = columnsOf(records)
      return columns.length === 0 ? '' : csvRow(columns) + records.map((r) => csvRecord(r, columns)).join('')
    }
  }
}

export function renderObject(obj: Row, format: OutputFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(obj, null, 2)}\n`
    case 'ndjson':
      return `${JSON.stringify(obj)}\n`
    case 'yaml':
      return toYaml(obj)
    case 'table':
      return objectTable(obj)
    case 'csv':
      return renderRecords([obj], 'csv')
  }
}
