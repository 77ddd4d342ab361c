/**
 * Runs the real `unimeter` command (node bin/unimeter.js) as a child process against a gateway
 * from the harness. Every child started here is tracked and killed by `killAll()` if a test
 * leaves one behind.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { TEST_TOKEN, type TestGateway } from '../../support/gateway'

export const BIN = fileURLToPath(new URL('../../../bin/unimeter.js', import.meta.url))
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

const children = new Set<ChildProcess>()

/** The child's environment: this process's, without any UNIMETER_* that could leak in. */
export function cliEnv(g: TestGateway | undefined, extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('UNIMETER_')) env[k] = v
  if (g) {
    env.UNIMETER_API_URL = g.url
    env.UNIMETER_TOKEN = TEST_TOKEN
  }
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k]
    else env[k] = v
  }
  return env
}

export interface SpawnOptions {
  env?: Record<string, string>
  input?: string
  cwd?: string
}

export function spawnCli(args: string[], options: SpawnOptions = {}): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: options.env ?? cliEnv(undefined),
    cwd: options.cwd ?? ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  children.add(child)
  let stdout = ''
  let stderr = ''
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  child.stdin!.end(options.input ?? '')
  const done = new Promise<CliResult>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code, signal) => {
      children.delete(child)
      resolve({ code, signal, stdout, stderr })
    })
  })
  return { child, done }
}

export function runCli(args: string[], options: SpawnOptions = {}): Promise<CliResult> {
  return spawnCli(args, options).done
}

/** A gateway-bound runner: `cli(g)('unified', …)`. */
export function cliFor(g: TestGateway, extraEnv: Record<string, string | undefined> = {}) {
  return (args: string[], options: Omit<SpawnOptions, 'env'> = {}) => runCli(args, { ...options, env: cliEnv(g, extraEnv) })
}

export function killAll(): void {
  for (const child of children) if (child.pid && child.exitCode === null) child.kill('SIGKILL')
  children.clear()
}

/** Resolves when `check` is true, polling; rejects after `limitMs` with `what` in the message. */
export async function waitFor(check: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  const started = Date.now()
  while (!check()) {
    if (Date.now() - started > limitMs) throw new Error(`gave up waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/**
 * Lets production Claude accounts reach the sandbox simulator (the operator's base-URL
 * override), and returns the key the simulator accepts, for `accounts create` tests.
 */
export function claudeProductionKey(g: TestGateway): string {
  const sim = g.sandbox!.simulators.get('claude')!
  g.services.env.UNIMETER_CLAUDE_BASE_URL = sim.baseUrl
  return sim.credentials.api_key
}
