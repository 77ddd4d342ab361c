/** What each figure returns, the console table and BENCHMARKS.md. */
import type { MachineInfo } from './machine'

export interface SummaryRow {
  metric: string
  target: string
  measured: string
  /** true/false against the target; undefined where the row is informational. */
  met?: boolean
}

export interface FigureResult {
  id: string
  title: string
  rows: SummaryRow[]
  /** Markdown: detail tables, how it was measured, what bounds it. */
  details: string
}

/** A figure as kept in bench/results/figures.json: its result and the run it came from. */
export interface StoredFigure {
  figure: FigureResult
  command: string
  machine: MachineInfo
  quick: boolean
}

const verdict = (met: boolean | undefined) => (met === undefined ? '—' : met ? 'met' : 'NOT met')

/** A GitHub-flavoured Markdown table. */
export function mdTable(header: string[], rows: Array<Array<string | number>>): string {
  const esc = (v: string | number) => String(v).replace(/\|/g, '\\|')
  return [
    `| ${header.map(esc).join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n')
}

function summaryRows(figures: FigureResult[]): string[][] {
  return figures.flatMap((f) => f.rows.map((r) => [`${f.id}. ${f.title}`, r.metric, r.target, r.measured, verdict(r.met)]))
}

const SUMMARY_HEADER = ['Figure', 'Metric', 'Target', 'Measured (median)', 'Verdict']

/** Plain-text table for the terminal. */
export function consoleTable(figures: FigureResult[]): string {
  const rows = [SUMMARY_HEADER, ...summaryRows(figures)]
  const widths = SUMMARY_HEADER.map((_, i) => Math.max(...rows.map((r) => r[i].length)))
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ')
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n')
}

const machineLine = (m: MachineInfo) => `${m.cores} cores, ${m.cpu}, ${m.memory} RAM, ${m.os}, Node ${m.node}`

export function benchmarksMarkdown(stored: StoredFigure[], preamble: string): string {
  const list = [...stored].sort((a, b) => a.figure.id.localeCompare(b.figure.id))
  const machines = [...new Set(list.map((s) => machineLine(s.machine)))]
  const commands = [...new Set(list.map((s) => s.command))]
  const runOf = (s: StoredFigure) =>
    `\`${s.command}\`${s.quick ? ' (quick mode)' : ''}, ${s.machine.date}${machines.length > 1 ? `, on ${machineLine(s.machine)}` : ''}`
  return [
    '# Benchmarks',
    '',
    preamble,
    '',
    `- Command: ${commands.map((c) => `\`${c}\``).join(', then ')} (each section says which run it comes from)`,
    `- Machine: ${machines.join('; ')}`,
    `- Date: ${
      list
        .map((s) => s.machine.date)
        .sort()
        .pop() ?? ''
    } (latest)`,
    '',
    '## Summary',
    '',
    mdTable(SUMMARY_HEADER, summaryRows(list.map((s) => s.figure))),
    '',
    ...list.flatMap((s) => [`## ${s.figure.id}. ${s.figure.title}`, '', `_Measured by ${runOf(s)}._`, '', s.figure.details.trim(), '']),
  ].join('\n')
}
