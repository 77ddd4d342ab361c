/**
 * The Worker under test: real `wrangler dev` (workerd from npm, local D1) on a free loopback
 * port, with the D1 migrations applied first exactly as `npm run dev:worker` does, settings given
 * as `--var`. Cron Triggers are fired through wrangler dev's `/cdn-cgi/handler/scheduled`.
 * `stop()` ends it by PID (one SIGTERM stops workerd too) and deletes everything it wrote.
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

/** `logLevel` is wrangler's own (its `QUEUE <name> acked/total` lines are `info`); default warn. */
export async function startWranglerDev(vars: Record<string, string>, logLevel: 'warn' | 'info' = 'warn'): Promise<WranglerDev> {
  const dir = mkdtempSync(join(tmpdir(), 'unimeter-wrangler-'))
  const persist = join(dir, 'state')
  try {
    await runWrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persist], dir)
  } catch (err) {
    rmSync(dir, { recursive: true, force: true })
    throw err
  }
  const port = await freePort()
  const inspectorPort = await freePort()
  const args = ['dev', '--local', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspectorPort)]
  args.push('--persist-to', persist, '--show-interactive-dev-session=false', '--log-level', logLevel)
  for (const [name, value] of Object.entries(vars)) args.push('--var', `${name}:${value}`)

  const child = spawn(WRANGLER_BIN, args, { cwd: REPO_ROOT, env: wranglerEnv(dir), stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr.on('data', (d: Buffer) => (output += d.toString()))
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  let running = true
  void exited.then(() => (running = false))

  const stop = async () => {
    if (running) {
      child.kill('SIGTERM')
      await exited
    }
    rmSync(dir, { recursive: true, force: true })
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
