/**
 * What a partial export file really holds: the number of complete records and the byte offset
 * just after the last one (a record torn by the interruption is cut off by truncating there),
 * plus the id of the last record, to check that the list has not shifted before resuming.
 * Read in chunks: memory stays at one record whatever the file's size.
 */
import { createReadStream, existsSync, truncateSync } from 'node:fs'
import { parseCsvRecord } from '../output/csv'
import type { ExportFormat } from './sidecar'

interface PartialScan {
  /** Complete records (the CSV header is not one). */
  records: number
  /** Offset just after the last complete line (the header's, for a CSV with no record yet). */
  bytes: number
  lastId?: string
}

const NEWLINE = 0x0a
const QUOTE = 0x22

function idOf(text: string, format: ExportFormat, columns: string[] | undefined): string | undefined {
  try {
    const value = format === 'ndjson' ? (JSON.parse(text) as { id?: unknown }).id : parseCsvRecord(text)[columns?.indexOf('id') ?? -1]
    return value === undefined || value === null ? undefined : String(value)
  } catch {
    return undefined
  }
}

export async function scanPartial(path: string, format: ExportFormat, columns?: string[]): Promise<PartialScan> {
  if (!existsSync(path)) return { records: 0, bytes: 0 }
  let lines = 0
  let bytes = 0
  let offset = 0
  let quoted = false
  let current: Buffer[] = []
  let last: Buffer | undefined
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    let start = 0
    for (let i = 0; i < chunk.length; i++) {
      // A newline inside a quoted CSV field is part of the value, not the end of a record.
      if (format === 'csv' && chunk[i] === QUOTE) quoted = !quoted
      else if (chunk[i] === NEWLINE && !quoted) {
        current.push(chunk.subarray(start, i + 1))
        last = Buffer.concat(current)
        current = []
        start = i + 1
        lines++
        bytes = offset + i + 1
      }
    }
    if (start < chunk.length) current.push(Buffer.from(chunk.subarray(start)))
    offset += chunk.length
  }
  const records = format === 'csv' ? Math.max(0, lines - 1) : lines
  return { records, bytes, lastId: records > 0 && last ? idOf(last.toString('utf8'), format, columns) : undefined }
}

/** Cuts the file back to its complete records. */
export function truncateTo(path: string, bytes: number): void {
  if (existsSync(path)) truncateSync(path, bytes)
}
