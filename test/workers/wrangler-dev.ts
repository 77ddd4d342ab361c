/**
 * The Worker under test: real `wrangler dev` (workerd from npm, local D1) on a free loopback
 * port, with the D1 migrations applied first exactly as `npm run dev:worker` does, settings given
 * as `--var`. Cron Triggers are fired through wrangler dev's `/cdn-cgi/handler/scheduled`.
 * `stop()` ends it by PID (one SIGTERM stops workerd too) and deletes everything it wrote.
 * Several Workers can run on one state (createWranglerState): one D1, one set of Durable Objects.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './free-port'
import { REPO_ROOT, WRANGLER_BIN, runWrangler, wranglerEnv } from './wrangler'

export interface WranglerDev {
  url: string
  pid: number
  /** Everything wrangler and the Worker printed so far (for failure messages). */
  output(): string
  stop(): Promise<void>
}

/** The Cron Trigger wrangler.toml declares (`[triggers] crons`), as the platform would send it. */
const CRON = /^crons\s*=\s*\[\s*"([^"]+)"/m.exec(readFileSync(join(REPO_ROOT, 'wrangler.toml'), 'utf8'))?.[1]

/**
 * Fires the Cron Trigger as of `at`: wrangler dev's trigger endpoint dispatches a real scheduled
 * event (workerd's controller, waitUntil, outcome in the status) with `time` as scheduledTime.
 * The --test-scheduled route (/__scheduled) wraps the fetch handler instead and always sends Date.now().
 */
export async function fireCron(worker: WranglerDev, at: Date): Promise<void> {
  if (!CRON) throw new Error('wrangler.toml declares no Cron Trigger')
  const res = await fetch(`${worker.url}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent(CRON)}&time=${at.getTime()}`)
  if (res.status !== 200) throw new Error(`the scheduled event failed: ${res.status} ${await res.text()}\n${worker.output()}`)
}

/** A local state folder (D1, Durable Objects, the dev registry), with the D1 migrations applied. */
export interface WranglerState {
  dir: string
  remove(): void
}

export async function createWranglerState(): Promise<WranglerState> {
  const dir = mkdtempSync(join(tmpdir(), 'unimeter-wrangler-'))
  const remove = () => rmSync(dir, { recursive: true, force: true })
  try {
    await runWrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', join(dir, 'state')], dir)
  } catch (err) {
    remove()
    throw err
  }
  return { dir, remove }
}

export interface WranglerDevOptions {
  /** Another Wrangler configuration file (default the project's wrangler.toml). */
  config?: string
  /**
   * Run on this state (the caller removes it) instead of a fresh one: Workers started on one state
   * share its D1 database, and find each other's Durable Objects through its dev registry.
   */
  state?: WranglerState
  /** wrangler's own log level (its `QUEUE <name> acked/total` lines are `info`); default warn. */
  logLevel?: 'warn' | 'info'
}

export async function startWranglerDev(vars: Record<string, string>, options: WranglerDevOptions = {}): Promise<WranglerDev> {
  const state = options.state ?? (await createWranglerState())
  const dir = state.dir
  const persist = join(dir, 'state')
  const port = await freePort()
  const inspectorPort = await freePort()
  const args = ['dev', '--local', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspectorPort)]
  args.push('--persist-to', persist, '--show-interactive-dev-session=false', '--log-level', options.logLevel ?? 'warn')
  if (options.config) args.push('--config', options.config)
  for (const [name, value] of Object.entries(vars)) args.push('--var', `${name}:${value}`)

  const child = spawn(WRANGLER_BIN, args, { cwd: REPO_ROOT, env: wranglerEnv(dir), stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr.on('data', (d: Buffer) => (output += d.toString()))
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  // A start that outlives its hook's timeout returns a Worker no test will stop: it goes with
  // this test process instead of living on (and rebuilding when its folder is deleted).
  const stopOnExit = () => child.kill('SIGTERM')
  process.once('exit', stopOnExit)
  void exited.then(() => process.off('exit', stopOnExit))
  let running = true
  void exited.then(() => (running = false))

  const stop = async () => {
    if (running) {
      child.kill('SIGTERM')
      await exited
    }
    if (!options.state) state.remove()
  }
  const url = `http://127.0.0.1:${port}`
  try {
    await waitForHealth(
      url,
      () => running,
      () => output,
    )
  } catch (err) {
    await stop()
    throw err
  }
  return { url, pid: child.pid!, output: () => output, stop }
}

/** Polls /health until the Worker answers; fails as soon as wrangler exits, or after 90 s. */
async function waitForHealth(url: string, running: () => boolean, output: () => string): Promise<void> {
  const giveUpAt = Date.now() + 90_000
  while (Date.now() < giveUpAt) {
    if (!running()) throw new Error(`wrangler dev exited before it served:\n${output()}`)
    try {
      const res = await fetch(`${url}/health`)
      if (res.status === 200) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`wrangler dev did not serve /health within 90 s:\n${output()}`)
}
