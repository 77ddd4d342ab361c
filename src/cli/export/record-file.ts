/**
 * Writes exported records to a file (or stdout) as NDJSON or CSV, waiting when the disk is
 * slower than the network so memory never holds more than the stream's buffer.
 */
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { csvRecord, csvRow } from '../output/csv'
import type { ExportFormat } from './sidecar'

export class RecordFile {
  /** Records written through this writer (not counting any already in the file). */
  written = 0
  private readonly unknownColumns = new Set<string>()

  private constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly format: ExportFormat,
    private readonly columns: string[] | undefined,
    private readonly warn: (text: string) => void,
    private readonly ownsStream: boolean,
  ) {}

  /** `append` continues a partial file; otherwise the file is created (or replaced). */
  static toFile(
    path: string,
    format: ExportFormat,
    columns: string[] | undefined,
    append: boolean,
    warn: (text: string) => void,
  ): RecordFile {
    return new RecordFile(createWriteStream(path, { flags: append ? 'a' : 'w' }), format, columns, warn, true)
  }

  static toStream(
    stream: NodeJS.WritableStream,
    format: ExportFormat,
    columns: string[] | undefined,
    warn: (text: string) => void,
  ): RecordFile {
    return new RecordFile(stream, format, columns, warn, false)
  }

  async writeHeader(): Promise<void> {
    if (this.format === 'csv' && this.columns) await this.put(csvRow(this.columns))
  }

  async write(record: Record<string, unknown>): Promise<void> {
    if (this.format === 'ndjson') {
      await this.put(`${JSON.stringify(record)}\n`)
    } else {
      const columns = this.columns ?? []
      for (const k of Object.keys(record)) {
        if (!columns.includes(k) && !this.unknownColumns.has(k)) {
          this.unknownColumns.add(k)
          this.warn(`warning: field "${k}" is not in the resource's schema, so it has no CSV column (NDJSON keeps every field)\n`)
        }
      }
      await this.put(csvRecord(record, columns))
    }
    this.written++
  }

  /** Resolves once everything written so far has reached the file. */
  flush(): Promise<void> {
    return new Promise((resolve, reject) => this.stream.write('', (err) => (err ? reject(err) : resolve())))
  }

  async close(): Promise<void> {
    await this.flush()
    if (!this.ownsStream) return
    const done = once(this.stream, 'close')
    this.stream.end()
    await done
  }

  private async put(text: string): Promise<void> {
    if (!this.stream.write(text)) await once(this.stream, 'drain')
  }
}
