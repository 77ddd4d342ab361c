/**
 * `npm start` as an operator or a process supervisor runs it: one SIGTERM to npm's own PID stops
 * the gateway too (the script execs node, so npm's signal forwarding reaches the gateway and no
 * shell is left in between to swallow it). The gateway must stop answering and exit.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { cliEnv, ROOT, waitFor } from './support/cli'

const dir = mkdtempSync(join(tmpdir(), 'unimeter-npm-start-'))
let npmPid: number | undefined
afterAll(() => {
  // Only if the test failed midway: the process group of the npm this test started.
  if (npmPid) {
    try {
      process.kill(-npmPid, 'SIGKILL')
    } catch {
      /* already gone */
    }
  }
  rmSync(dir, { recursive: true, force: true })
})

async function refused(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) })
    return false
  } catch {
    return true
  }
}

describe('npm start', () => {
  it('stops entirely on one SIGTERM to the npm process', async () => {
    const env = cliEnv(undefined, {
      PORT: '0',
      UNIMETER_DATABASE_PATH: join(dir, 'unimeter.db'),
      UNIMETER_SANDBOX: 'off',
      UNIMETER_LOG_LEVEL: 'warn',
    })
    // Its own process group, so cleanup can reach whatever npm started.
    const npm = spawn('npm', ['start', '--silent'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    npmPid = npm.pid
    let stdout = ''
    npm.stdout!.on('data', (d) => (stdout += String(d)))
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)))
    await waitFor(() => /export UNIMETER_API_URL=(http:\/\/127\.0\.0\.1:\d+)/.test(stdout), 'the banner', 60_000)
    const url = /export UNIMETER_API_URL=(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)![1]
    expect((await fetch(`${url}/health`)).status).toBe(200)

    process.kill(npm.pid!, 'SIGTERM')
    await exited
    let gone = false
    for (let i = 0; i < 50 && !gone; i++) {
      gone = await refused(url)
      if (!gone) await new Promise((r) => setTimeout(r, 200))
    }
    expect(gone).toBe(true)
    npmPid = undefined
  }, 90_000)
})
