/**
 * A one-line progress display on stderr for long work whose total is unknown (an export, a
 * sync run): a moving bar, the count, the rate and the elapsed time, redrawn at most ten times
 * a second. Disabled, it draws nothing, so piped stderr stays clean.
 */

const REDRAW_MS = 100
const TRACK = 20

function formatElapsed(ms: number): string {
  const s = Math.floor(ms / 1000)
  const hh = Math.floor(s / 3600)
  const mm = Math.floor((s % 3600) / 60)
  const ss = s % 60
  const two = (n: number) => String(n).padStart(2, '0')
  return hh > 0 ? `${hh}:${two(mm)}:${two(ss)}` : `${two(mm)}:${two(ss)}`
}

/** An indeterminate bar: a block sweeping the track, one step per redraw. */
function sweepBar(step: number): string {
  const width = 4
  const span = TRACK - width
  const cycle = step % (2 * span)
  const at = cycle <= span ? cycle : 2 * span - cycle
  return `[${' '.repeat(at)}${'='.repeat(width)}${' '.repeat(TRACK - width - at)}]`
}

function progressText(label: string, count: number, unit: string, elapsedMs: number, step: number, extra = ''): string {
  const rate = elapsedMs > 0 ? Math.round((count * 1000) / elapsedMs) : 0
  return `${label} ${sweepBar(step)} ${count.toLocaleString('en-US')} ${unit}  ${rate.toLocaleString('en-US')}/s  ${formatElapsed(elapsedMs)}${extra ? `  ${extra}` : ''}`
}

export class Progress {
  private readonly started = Date.now()
  private lastDraw = 0
  private step = 0
  private drawn = false

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly enabled: boolean,
    private readonly label: string,
    private readonly unit = 'records',
  ) {}

  update(count: number, extra = ''): void {
    if (!this.enabled) return
    const now = Date.now()
    if (this.drawn && now - this.lastDraw < REDRAW_MS) return
    this.lastDraw = now
    this.draw(count, extra)
  }

  /** The final state, left on its own line. */
  finish(count: number, extra = ''): void {
    if (!this.enabled) return
    this.draw(count, extra)
    this.stream.write('\n')
  }

  private draw(count: number, extra: string): void {
    this.drawn = true
    this.stream.write(`\r\x1b[2K${progressText(this.label, count, this.unit, Date.now() - this.started, this.step++, extra)}`)
  }
}
