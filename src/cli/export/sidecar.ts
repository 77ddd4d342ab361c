/**
 * The small state file kept beside a partial export (`<out>.export-state.json`) so `--resume`
 * knows what was being exported and where the next page starts. It never holds records (the
 * output file is the truth about what was written) and never holds the API token. It is written
 * atomically (temp file + rename) and removed when the export completes.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { UsageError } from '../errors'

export type ExportFormat = 'ndjson' | 'csv'

export interface ExportState {
  version: 1
  model: string
  resource: string
  account: string
  /** The unified query the export asked with (without cursors). */
  query: Record<string, unknown>
  format: ExportFormat
  /** CSV header columns, fixed when the file was started. */
  columns?: string[]
  page_size: number
  /**
   * The last page boundary reached: the page `next_cursor` begins right after the first
   * `records` records. Null when only the stream ran (the stream carries no cursors).
   */
  checkpoint: { next_cursor: string; records: number } | null
  started_at: string
  updated_at: string
}

export const sidecarPath = (out: string) => `${out}.export-state.json`

export function readSidecar(out: string): ExportState | undefined {
  const path = sidecarPath(out)
  if (!existsSync(path)) return undefined
  let state: ExportState
  try {
    state = JSON.parse(readFileSync(path, 'utf8')) as ExportState
  } catch (err) {
    throw new UsageError(`${path} is not a readable export state (${(err as Error).message})`, `delete it and export again with --force`)
  }
  if (state.version !== 1 || typeof state.account !== 'string' || (state.format !== 'ndjson' && state.format !== 'csv')) {
    throw new UsageError(`${path} is not an export state this version understands`, 'delete it and export again with --force')
  }
  return state
}

export function writeSidecar(out: string, state: ExportState): void {
  const path = sidecarPath(out)
  const tmp = `${path}.tmp`
  writeFileSync(tmp, `${JSON.stringify({ ...state, updated_at: new Date().toISOString() }, null, 2)}\n`, { mode: 0o600 })
  renameSync(tmp, path)
}

export function removeSidecar(out: string): void {
  rmSync(sidecarPath(out), { force: true })
}
