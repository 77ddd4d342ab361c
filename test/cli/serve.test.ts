/** `unimeter serve`: the gateway npm start runs, started and stopped by the real CLI. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { cliEnv, killAll, runCli, spawnCli, waitFor } from './support/cli'

const dir = mkdtempSync(join(tmpdir(), 'unimeter-cli-serve-'))
const TOKEN = 'serve-test-admin-token-0123'
afterAll(() => {
  killAll()
  rmSync(dir, { recursive: true, force: true })
})

describe('serve', () => {
  it('starts the gateway with the sandbox, prints the banner, serves the CLI, and stops on SIGINT (exit 0)', async () => {
    const env = cliEnv(undefined, { UNIMETER_ADMIN_TOKEN: TOKEN, UNIMETER_LOG_LEVEL: 'warn' })
    const server = spawnCli(['serve', '--port', '0', '--db', join(dir, 'unimeter.db')], { env })
    let stdout = ''
    server.child.stdout!.on('data', (d) => (stdout += String(d)))
    await waitFor(() => /Sandbox accounts/.test(stdout) && /Try:/.test(stdout), 'the banner', 60_000)
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)![1]
    expect(stdout).toContain(`database:        ${join(dir, 'unimeter.db')}`)
    expect(stdout).toMatch(/claude\s+sandbox-claude/)
    expect(stdout).toContain(`export UNIMETER_TOKEN="$UNIMETER_ADMIN_TOKEN"`)
    expect(stdout).toContain(`export UNIMETER_API_URL=${url}`)

    const res = await runCli(['unified', 'usage-metering', 'users', '-a', 'sandbox-claude', '-q', 'limit=2'], {
      env: cliEnv(undefined, { UNIMETER_API_URL: url, UNIMETER_TOKEN: TOKEN }),
    })
    expect(res.code).toBe(0)
    expect(JSON.parse(res.stdout)).toHaveLength(2)

    server.child.kill('SIGINT')
    const done = await server.done
    expect(done.code).toBe(0)
    expect(done.stdout).toContain('SIGINT: shutting down')
  })

  it('refuses a bad --port (2) and a bad setting (1, naming it)', async () => {
    const env = cliEnv(undefined, { UNIMETER_ADMIN_TOKEN: TOKEN })
    const [port, setting] = await Promise.all([
      runCli(['serve', '--port', 'eighty'], { env }),
      runCli(['serve', '--port', '0', '--db', join(dir, 'other.db')], { env: { ...env, UNIMETER_LOG_LEVEL: 'loud' } }),
    ])
    expect(port.code).toBe(2)
    expect(port.stderr).toContain('--port must be a port number')
    expect(setting.code).toBe(1)
    expect(setting.stderr).toContain('UNIMETER_LOG_LEVEL')
  })
})
