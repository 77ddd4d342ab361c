/**
 * An export, start to finish.
 *
 * A fresh export reads the `stream` format (NDJSON, every page followed lazily by the gateway),
 * writing each record as it arrives, so memory stays at one record plus the socket's buffer.
 * The stream carries no cursors, so what survives an interruption is the file itself (cut back to
 * its last complete record) and the sidecar saying what was being exported.
 *
 * `--resume` then walks the list's pages with next_cursor. Without a checkpoint it re-reads
 * (without re-writing) the pages the file already holds, checks that the record just before the
 * resume point is the file's last one (otherwise the list has shifted and resuming would skip or
 * repeat records), and writes the rest. After every page it checkpoints the next cursor in the
 * sidecar, so an interrupted resume continues from its last completed page.
 */
import { existsSync } from 'node:fs'
import type { CliContext } from '../context'
import { InterruptedError, LocalError, UsageError } from '../errors'
import { Progress } from '../io/progress'
import { exportedColumns, schemaColumns } from './columns'
import { ndjsonRecords } from './ndjson-reader'
import { scanPartial, truncateTo } from './partial-file'
import { RecordFile } from './record-file'
import { readSidecar, removeSidecar, sidecarPath, writeSidecar, type ExportFormat, type ExportState } from './sidecar'

interface ExportPlan {
  model: string
  resource: string
  account: string
  query: Record<string, unknown>
  format: ExportFormat
  /** A file path, or undefined for stdout (not resumable). */
  out?: string
  pageSize: number
  progress: boolean
  force: boolean
}

type Row = Record<string, unknown>

const apiPath = (s: { model: string; resource: string }) => `/unified/${s.model}/${s.resource}`

function resumeCommand(state: ExportState, out: string): string {
  return `unimeter export ${state.model}/${state.resource} -a ${state.account} -o ${state.format} --out ${out} --resume`
}

/** Ctrl-C (and SIGTERM) abort the transfer instead of killing the process mid-write. */
function interruptible(): { signal: AbortSignal; interrupted: () => boolean; dispose: () => void } {
  const controller = new AbortController()
  const onSignal = () => controller.abort()
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return {
    signal: controller.signal,
    interrupted: () => controller.signal.aborted,
    dispose: () => {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    },
  }
}

/** Runs `work`, keeping the partial file resumable when it fails or is interrupted (exit 130). */
async function guarded(
  ctx: CliContext,
  file: RecordFile,
  out: string | undefined,
  state: ExportState,
  progress: Progress,
  total: () => number,
  work: (signal: AbortSignal) => Promise<void>,
): Promise<void> {
  const run = interruptible()
  try {
    await work(run.signal)
    await file.close()
    if (out) removeSidecar(out)
    progress.finish(total())
    ctx.err(`Exported ${total().toLocaleString('en-US')} records${out ? ` to ${out}` : ''}.\n`)
  } catch (err) {
    await file.close().catch(() => undefined)
    progress.finish(total())
    if (out) {
      writeSidecar(out, state)
      ctx.err(
        `${run.interrupted() ? 'Interrupted' : 'Stopped'} after ${total().toLocaleString('en-US')} records; ${out} keeps them.\nResume with: ${resumeCommand(state, out)}\n`,
      )
    }
    throw run.interrupted() ? new InterruptedError() : err
  } finally {
    run.dispose()
  }
}

export async function startExport(ctx: CliContext, plan: ExportPlan): Promise<void> {
  const { out } = plan
  if (out && !plan.force) {
    const partial = readSidecar(out)
    if (partial)
      throw new UsageError(
        `${out} is a partial export (state in ${sidecarPath(out)})`,
        `continue it with --resume, or start over with --force`,
      )
    if (existsSync(out)) throw new UsageError(`${out} already exists`, 'pass --force to replace it, or choose another --out')
  }
  const path = apiPath(plan)
  const columns = plan.format === 'csv' ? exportedColumns(await schemaColumns(ctx.client, path), plan.query) : undefined
  const now = new Date().toISOString()
  const state: ExportState = {
    version: 1,
    model: plan.model,
    resource: plan.resource,
    account: plan.account,
    query: plan.query,
    format: plan.format,
    ...(columns ? { columns } : {}),
    page_size: plan.pageSize,
    checkpoint: null,
    started_at: now,
    updated_at: now,
  }
  // Written before the first byte: whatever happens from here on, the file is resumable.
  if (out) writeSidecar(out, state)
  const file = out
    ? RecordFile.toFile(out, plan.format, columns, false, ctx.err)
    : RecordFile.toStream(ctx.io.stdout, plan.format, columns, ctx.err)
  const progress = new Progress(ctx.io.stderr, plan.progress, `${plan.model}/${plan.resource}`)
  return guarded(
    ctx,
    file,
    out,
    state,
    progress,
    () => file.written,
    async (signal) => {
      await file.writeHeader()
      const query = { ...plan.query, integrated_account_id: plan.account, truto_response_format: 'stream', limit: plan.pageSize }
      const res = await ctx.client.stream(path, { query, signal })
      for await (const record of ndjsonRecords(res.body as unknown as AsyncIterable<Uint8Array>, `GET ${path} (stream)`)) {
        await file.write(record)
        progress.update(file.written)
      }
    },
  )
}

export async function resumeExport(
  ctx: CliContext,
  out: string,
  given: { target?: { model: string; resource: string }; account?: string; format?: ExportFormat; progress: boolean },
): Promise<void> {
  const state = readSidecar(out)
  if (!state)
    throw new UsageError(
      `nothing to resume: ${sidecarPath(out)} does not exist`,
      existsSync(out) ? `${out} is complete; pass --force to export again` : 'run the export without --resume',
    )
  const mismatch = [
    given.target &&
      `${given.target.model}/${given.target.resource}` !== `${state.model}/${state.resource}` &&
      `it exports ${state.model}/${state.resource}`,
    given.account && given.account !== state.account && `its account is ${state.account}`,
    given.format && given.format !== state.format && `its format is ${state.format}`,
  ].filter(Boolean)
  if (mismatch.length > 0)
    throw new UsageError(`${out} belongs to another export: ${mismatch.join(', ')}`, `resume it as: ${resumeCommand(state, out)}`)

  const scan = await scanPartial(out, state.format, state.columns)
  truncateTo(out, scan.bytes)
  const file = RecordFile.toFile(out, state.format, state.columns, true, ctx.err)
  const useCheckpoint = state.checkpoint !== null && state.checkpoint.records <= scan.records
  let index = useCheckpoint ? (state.checkpoint as { records: number }).records : 0
  let cursor = useCheckpoint ? (state.checkpoint as { next_cursor: string }).next_cursor : undefined
  const progress = new Progress(ctx.io.stderr, given.progress, `${state.model}/${state.resource}`)
  const total = () => scan.records + file.written
  ctx.err(
    `Resuming ${out} after ${scan.records.toLocaleString('en-US')} records${useCheckpoint ? ' from its last completed page' : ' (re-reading the pages it holds: the stream has no cursors)'}.\n`,
  )

  return guarded(ctx, file, out, state, progress, total, async (signal) => {
    if (state.format === 'csv' && scan.bytes === 0) await file.writeHeader()
    const path = apiPath(state)
    for (;;) {
      const query = {
        ...state.query,
        integrated_account_id: state.account,
        limit: state.page_size,
        ...(cursor ? { next_cursor: cursor } : {}),
      }
      const body = await ctx.client.json<{ result: Row[]; next_cursor: string | null }>('GET', path, { query, signal })
      for (const record of body.result) {
        if (index < scan.records) {
          if (index === scan.records - 1 && scan.lastId !== undefined && String(record.id) !== scan.lastId) {
            throw new LocalError(
              `The list has changed since the export started: record ${index + 1} is now ${String(record.id)}, the file's last is ${scan.lastId}. ` +
                `Resuming would skip or repeat records; export again with --force.`,
            )
          }
        } else await file.write(record)
        index++
      }
      progress.update(total())
      if (!body.next_cursor) break
      cursor = body.next_cursor
      // The cursor is only promised once the page it follows is on disk.
      await file.flush()
      state.checkpoint = { next_cursor: cursor, records: index }
      writeSidecar(out, state)
    }
  })
}
