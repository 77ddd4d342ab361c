/**
 * Child processes for the benchmarks: a simulator or a gateway in its own Node process (so its
 * memory is measured alone and it gets its own event loop), and peak-RSS sampling via /proc.
 * Every child is stopped by the handle (PID) that started it; children also exit by themselves
 * when the IPC channel to the bench closes.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { builtEntry } from '../../scripts/build-dist.js'

export const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..')
export const REPO_DIR = join(BENCH_DIR, '..')
const RUN_BUNDLE = join(REPO_DIR, 'scripts', 'run-bundle.js')

export interface Child<T> {
  pid: number
  info: T
  proc: ChildProcess
  /** SIGTERM, then SIGKILL after a grace period; resolves once the process has exited. */
  stop(): Promise<void>
}

export function waitForExit(proc: ChildProcess, graceMs = 5_000): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs)
    proc.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}

/** The child precompiled the way `npm start` runs the gateway (scripts/build-dist.js), rebuilt when stale. */
async function precompiledChild(name: string): Promise<string> {
  return fileURLToPath(await builtEntry(name, join(BENCH_DIR, '.scratch', 'dist'), { [name]: `bench/children/${name}.ts` }))
}

/**
 * Forks `bench/children/<name>.ts` under tsx (or, `precompiled`, its bundle under plain node) and
 * waits for its `{type: 'ready', ...}` message.
 */
export async function forkChild<T>(
  name: string,
  args: Record<string, unknown>,
  env: Record<string, string> = {},
  options: { nodeArgs?: string[]; timeoutMs?: number; precompiled?: boolean } = {},
): Promise<Child<T>> {
  const timeoutMs = options.timeoutMs ?? 120_000
  const script = options.precompiled ? await precompiledChild(name) : join(BENCH_DIR, 'children', `${name}.ts`)
  // A precompiled child runs as `npm start` runs the gateway: through scripts/run-bundle.js.
  const [file, argv]: [string, string[]] = options.precompiled
    ? [RUN_BUNDLE, [script, JSON.stringify(args)]]
    : [script, [JSON.stringify(args)]]
  const proc = fork(file, argv, {
    cwd: REPO_DIR,
    execArgv: [...(options.nodeArgs ?? []), ...(options.precompiled ? [] : ['--import', 'tsx'])],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM')
    await waitForExit(proc)
  }
  const info = await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} child did not start within ${timeoutMs} ms`)), timeoutMs)
    proc.once('message', (msg: { type: string; error?: string } & T) => {
      clearTimeout(timer)
      if (msg.type === 'ready') resolve(msg)
      else reject(new Error(`${name} child failed: ${msg.error ?? JSON.stringify(msg)}`))
    })
    proc.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${name} child exited (${code}) before it was ready`))
    })
  }).catch(async (err) => {
    await stop()
    throw err
  })
  return { pid: proc.pid!, info, proc, stop }
}

/** VmRSS and VmHWM (peak RSS) of a process, in bytes; undefined where /proc is not available. */
export function memoryOf(pid: number): { rss: number; peak: number; anon: number; file: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024
    // RSS split: anonymous memory (heaps, buffers) and file-backed pages (Node's binary, addons).
    return { rss: kb('VmRSS'), peak: kb('VmHWM'), anon: kb('RssAnon'), file: kb('RssFile') }
  } catch {
    return undefined
  }
}

/**
 * CPU seconds (user + system) a process has used, from /proc/<pid>/stat: on a shared machine, CPU
 * per request or record moves far less with the load than rates per wall-clock second.
 */
export function cpuSecondsOf(pid: number): number {
  // Fields after the command name's closing parenthesis; utime and stime are the 12th and 13th, in clock ticks (100/s).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

/**
 * Samples a process's RSS every `everyMs` until stopped. `peak` prefers the kernel's own high-water
 * mark (VmHWM, exact) and falls back to the highest sample.
 */
export function sampleMemory(pid: number, everyMs = 25): { stop(): { peak: number; maxSampled: number; samples: number } } {
  let maxSampled = 0
  let samples = 0
  let lastPeak = NaN
  const tick = () => {
    const m = memoryOf(pid)
    if (!m) return
    samples++
    maxSampled = Math.max(maxSampled, m.rss)
    lastPeak = m.peak
  }
  tick()
  const timer = setInterval(tick, everyMs)
  return {
    stop() {
      tick()
      clearInterval(timer)
      return { peak: Number.isFinite(lastPeak) ? lastPeak : maxSampled, maxSampled, samples }
    },
  }
}

/** A free loopback TCP port (for children that must be told their port up front). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port
      srv.close(() => resolve(port))
    })
  })
}

/** RSS of an idle Node process started with `nodeArgs`, a second after start (a reference). */
export async function idleRss(nodeArgs: string[]): Promise<number> {
  const child = spawn(process.execPath, [...nodeArgs, '-e', 'setTimeout(() => {}, 10000)'], { cwd: REPO_DIR, stdio: 'ignore' })
  try {
    await new Promise((r) => setTimeout(r, 1_000))
    return memoryOf(child.pid!)?.rss ?? NaN
  } finally {
    child.kill('SIGTERM')
    await waitForExit(child)
  }
}

/** Sends the child `message` and resolves with its next message of type `answer`. */
export function exchange<T>(
  proc: ChildProcess,
  message: { type: string; [field: string]: unknown },
  answer: string,
  timeoutMs = 30_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.off('message', onMessage)
      reject(new Error(`child did not answer ${message.type}`))
    }, timeoutMs)
    const onMessage = (msg: { type: string } & T) => {
      if (msg.type !== answer) return
      clearTimeout(timer)
      proc.off('message', onMessage)
      resolve(msg)
    }
    proc.on('message', onMessage)
    proc.send(message)
  })
}

/** Sends the child `{type}` and resolves with its answer of the same type. */
const askChild = <T>(proc: ChildProcess, type: string, timeoutMs = 30_000): Promise<T> => exchange(proc, { type }, type, timeoutMs)

/** The gateway child's memory after a full GC (bench/children/gateway.ts, run with --expose-gc). */
export function childHeap(proc: ChildProcess, timeoutMs = 30_000): Promise<{ heapUsed: number; rss: number; collected: boolean }> {
  return askChild(proc, 'heap', timeoutMs)
}

/** What V8's heap spaces hold committed now, by space, in bytes (no collection first). */
export function childHeapSpaces(proc: ChildProcess): Promise<{ spaces: Record<string, number> }> {
  return askChild(proc, 'heap-spaces')
}
