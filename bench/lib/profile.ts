/**
 * Summaries of V8 CPU profiles (the `.cpuprofile` files `node --cpu-prof` writes, or the same
 * data from `node:inspector`): self time by function and by where the code lives.
 */
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { attributeBundleFrames } from './bundle-frames'
import { mdTable } from './report'
import { REPO_DIR } from './processes'

export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }>
  samples: number[]
  timeDeltas: number[]
  startTime: number
  endTime: number
}

export interface ProfileSummary {
  totalMs: number
  byFunction: Array<{ name: string; where: string; ms: number; share: number }>
  byArea: Array<{ area: string; ms: number; share: number }>
}

/** Where a frame's code lives: a package, a folder of this repository, Node itself, or V8. */
export function areaOf(url: string, functionName: string): string {
  if (!url) {
    if (functionName === '(garbage collector)') return 'garbage collection'
    if (functionName === '(idle)' || functionName === '(program)') return functionName
    return 'V8 / native'
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (pkg) return pkg[1]
  if (url.startsWith('node:')) return 'node (runtime)'
  const rel = decodeURIComponent(url.replace(/^file:\/\//, '')).replace(`${REPO_DIR}/`, '')
  // The folder, at most three deep: src/engine/mapping, src/sync, connectors/claude/simulator…
  const dirs = rel.split('/').slice(0, -1)
  return dirs.length === 0 ? rel : dirs.slice(0, 3).join('/')
}

export function summarizeProfile(profile: CpuProfile, top = 12): ProfileSummary {
  attributeBundleFrames(profile)
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const selfUs = new Map<number, number>()
  // Sample 0's delta is the time from Profiler.start to the first tick (the profiler starting
  // itself, charged to the inspector's `dispatch`): not part of the work profiled.
  for (let i = 1; i < profile.samples.length; i++)
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0))
  let total = 0
  const fn = new Map<string, { name: string; where: string; us: number }>()
  const area = new Map<string, number>()
  for (const [id, us] of selfUs) {
    const node = byId.get(id)
    if (!node) continue
    const { functionName, url, lineNumber } = node.callFrame
    const a = areaOf(url, functionName)
    if (a === '(idle)') continue
    total += us
    const where = url ? `${a}:${lineNumber + 1}` : a
    const key = `${functionName}@${where}`
    const entry = fn.get(key) ?? { name: functionName || '(anonymous)', where, us: 0 }
    entry.us += us
    fn.set(key, entry)
    area.set(a, (area.get(a) ?? 0) + us)
  }
  const share = (us: number) => (total > 0 ? us / total : 0)
  return {
    totalMs: total / 1000,
    byFunction: [...fn.values()]
      .sort((x, y) => y.us - x.us)
      .slice(0, top)
      .map((f) => ({ name: f.name, where: f.where, ms: f.us / 1000, share: share(f.us) })),
    byArea: [...area.entries()]
      .sort((x, y) => y[1] - x[1])
      .slice(0, top)
      .map(([a, us]) => ({ area: a, ms: us / 1000, share: share(us) })),
  }
}

/** The newest `.cpuprofile` in a directory (what `--cpu-prof --cpu-prof-dir=<dir>` wrote). */
export function readProfileFrom(dir: string): CpuProfile {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort()
  if (files.length === 0) throw new Error(`no .cpuprofile written in ${dir}`)
  return JSON.parse(readFileSync(join(dir, files[files.length - 1]), 'utf8')) as CpuProfile
}

export function profileMarkdown(summary: ProfileSummary, areas = 8, functions = 10): string {
  const pct = (s: number) => `${(s * 100).toFixed(1)}%`
  return [
    `Busy (non-idle) CPU time sampled: ${summary.totalMs.toFixed(0)} ms.`,
    '',
    mdTable(
      ['Where (self time)', 'Share'],
      summary.byArea.slice(0, areas).map((a) => [a.area, pct(a.share)]),
    ),
    '',
    mdTable(
      ['Function (self time)', 'Location', 'Share'],
      summary.byFunction.slice(0, functions).map((f) => [f.name, f.where, pct(f.share)]),
    ),
  ].join('\n')
}

function reply(proc: ChildProcess, type: string, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.off('message', onMessage)
      reject(new Error(`child did not answer ${type} within ${timeoutMs} ms`))
    }, timeoutMs)
    const onMessage = (msg: { type: string; error?: string }) => {
      if (msg.type !== type && msg.type !== 'profile-error') return
      clearTimeout(timer)
      proc.off('message', onMessage)
      if (msg.type === 'profile-error') reject(new Error(msg.error))
      else resolve()
    }
    proc.on('message', onMessage)
  })
}

/**
 * Runs `work` while the gateway child (bench/children/gateway.ts) records a CPU profile of exactly
 * that window, and returns both.
 */
export async function profileChildDuring<T>(proc: ChildProcess, work: () => Promise<T>): Promise<{ result: T; profile: CpuProfile }> {
  const dir = mkdtempSync(join(tmpdir(), 'unimeter-bench-prof-'))
  try {
    const started = reply(proc, 'profile-started')
    proc.send({ type: 'profile-start' })
    await started
    const result = await work()
    const path = join(dir, 'window.cpuprofile')
    const stopped = reply(proc, 'profile-stopped')
    proc.send({ type: 'profile-stop', path })
    await stopped
    return { result, profile: JSON.parse(readFileSync(path, 'utf8')) as CpuProfile }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
