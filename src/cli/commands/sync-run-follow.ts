/**
 * `sync-jobs run --wait`: polls the run until it ends, drawing its progress (records seen, pages,
 * the add/update/delete counts) on stderr, then prints the final run. Not succeeding is exit 1.
 * Ctrl-C stops following; the run itself goes on (`sync-jobs cancel` stops it).
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { CliContext } from '../context'
import { ApiCallError, InterruptedError } from '../errors'
import { Progress } from '../io/progress'
import { printObject } from '../output/print'

interface RunView {
  id: string
  status: 'created' | 'running' | 'succeeded' | 'failed' | 'cancelled'
  pages_fetched: number
  counts: { added: number; updated: number; deleted: number; unchanged: number }
  error: { code: string; message: string; status_code: number } | null
}

const FINISHED = new Set(['succeeded', 'failed', 'cancelled'])

function describeCounts(run: RunView): string {
  const c = run.counts
  return `${run.status}  pages ${run.pages_fetched}  +${c.added} ~${c.updated} -${c.deleted} =${c.unchanged}`
}

export async function followRun(ctx: CliContext, runId: string, options: { intervalMs: number; progress: boolean }): Promise<void> {
  const progress = new Progress(ctx.io.stderr, options.progress, `run ${runId}`)
  const seen = (r: RunView) => r.counts.added + r.counts.updated + r.counts.unchanged
  const stop = new AbortController()
  const onSignal = () => stop.abort()
  process.once('SIGINT', onSignal)
  let run: RunView
  try {
    for (;;) {
      run = await ctx.client.json<RunView>('GET', `/sync-job-run/${encodeURIComponent(runId)}`, { signal: stop.signal })
      if (FINISHED.has(run.status)) break
      progress.update(seen(run), describeCounts(run))
      await sleep(options.intervalMs, undefined, { signal: stop.signal })
    }
  } catch (err) {
    if (!stop.signal.aborted) throw err
    ctx.err(`\nStopped following run ${runId}; it goes on. Check it with: unimeter sync-jobs runs --run ${runId}\n`)
    throw new InterruptedError()
  } finally {
    process.off('SIGINT', onSignal)
  }
  progress.finish(seen(run), describeCounts(run))
  printObject(ctx, run)
  if (run.status === 'failed') {
    throw new ApiCallError(
      run.error?.status_code ?? 500,
      { statusCode: run.error?.status_code ?? 500, code: run.error?.code, message: run.error?.message },
      `sync run ${runId}`,
    )
  }
  if (run.status === 'cancelled') {
    throw new ApiCallError(409, { statusCode: 409, code: 'run_cancelled', message: `Run ${runId} was cancelled` }, `sync run ${runId}`)
  }
}
