/**
 * `npm start` and `unimeter` run precompiled JavaScript (scripts/build-dist.js): the gateway's
 * bundle started with plain `node` answers, reads its mappings, migrations, UI and docs from the
 * checkout; a build whose sources changed is rebuilt before it runs; the CLI runs from its bundle.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { buildDist, builtEntry, isBuildFresh, ROOT } from '../../scripts/build-dist.js'
import { cliEnv, runCli, waitFor } from './support/cli'

const TOKEN = 'precompiled-test-token-0123456789'
const dir = mkdtempSync(join(tmpdir(), 'unimeter-precompiled-'))
// A throwaway source tree inside the checkout (test-artifacts/ is ignored by git): the build takes
// entry points relative to the repository, and its sources are what the test edits.
const probeDir = join(ROOT, 'test-artifacts', `precompiled-${process.pid}`)
let gateway: ChildProcess | undefined

afterAll(() => {
  // Only if a test failed midway: the gateway process this file started, by its PID.
  if (gateway?.pid && gateway.exitCode === null) process.kill(gateway.pid, 'SIGKILL')
  rmSync(dir, { recursive: true, force: true })
  rmSync(probeDir, { recursive: true, force: true })
})

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()))
}

function runNode(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout!.on('data', (d) => (out += String(d)))
    child.stderr!.on('data', (d) => (err += String(d)))
    child.once('error', reject)
    child.once('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args.join(' ')} exited ${code}: ${err}`))))
  })
}

describe('the precompiled gateway', () => {
  it('starts with plain node, answers /health, serves a sandbox list, the UI and the docs', async () => {
    const entry = fileURLToPath(await builtEntry('gateway'))
    expect(entry.endsWith(join('dist', 'gateway.js'))).toBe(true)
    const env = cliEnv(undefined, {
      PORT: '0',
      HOST: '127.0.0.1',
      UNIMETER_DATABASE_PATH: join(dir, 'unimeter.db'),
      UNIMETER_ADMIN_TOKEN: TOKEN,
      UNIMETER_SANDBOX: 'on',
      UNIMETER_LOG_LEVEL: 'warn',
    })
    // No loader: a TypeScript import left in the bundle would fail here.
    gateway = spawn(process.execPath, [entry], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    gateway.stdout!.on('data', (d) => (stdout += String(d)))
    gateway.stderr!.on('data', (d) => (stderr += String(d)))
    const listening = /unimeter is listening on (http:\/\/127\.0\.0\.1:\d+)/
    await waitFor(() => listening.test(stdout) || gateway!.exitCode !== null, 'the banner', 60_000)
    expect(stderr).toBe('')
    const url = listening.exec(stdout)![1]
    const auth = { authorization: `Bearer ${TOKEN}` }

    expect((await fetch(`${url}/health`)).status).toBe(200)
    // Mappings (mappings/*.jsonata) are read from the checkout, next to the sources.
    const list = await fetch(`${url}/unified/usage-metering/users?integrated_account_id=sandbox-claude&limit=5`, { headers: auth })
    expect(list.status).toBe(200)
    const body = (await list.json()) as { result: Array<{ id: string; emails: unknown[] }> }
    expect(body.result).toHaveLength(5)
    expect(body.result[0].emails.length).toBeGreaterThan(0)
    // The browser code is bundled from src/ui on first use; swagger-ui from its package.
    const ui = await fetch(`${url}/ui/connect.js`)
    expect(ui.status).toBe(200)
    expect((await ui.text()).length).toBeGreaterThan(1000)
    const docs = await fetch(`${url}/docs`)
    expect(docs.status).toBe(200)

    gateway.kill('SIGTERM')
    await exited(gateway)
    expect(gateway.exitCode).toBe(0)
  }, 120_000)
})

describe('the build', () => {
  it('rebuilds a stale build before it runs, and sources read files next to themselves', async () => {
    mkdirSync(probeDir, { recursive: true })
    const source = join(probeDir, 'value.ts')
    writeFileSync(join(probeDir, 'data.txt'), 'beside the source')
    writeFileSync(
      join(probeDir, 'probe.ts'),
      [
        "import { readFileSync } from 'node:fs'",
        "import { value } from './value'",
        "console.log(value, readFileSync(new URL('./data.txt', import.meta.url), 'utf8'))",
      ].join('\n'),
    )
    writeFileSync(source, "export const value: string = 'first'\n")
    const out = join(probeDir, 'out')
    const entries = { probe: join('test-artifacts', `precompiled-${process.pid}`, 'probe.ts') }

    expect(isBuildFresh(out)).toBe(false)
    const bundle = fileURLToPath(await builtEntry('probe', out, entries))
    expect(isBuildFresh(out)).toBe(true)
    expect(await runNode(bundle)).toBe('first beside the source\n')

    // A source edited: the next start builds again and runs the new code.
    writeFileSync(source, "export const value: string = 'second'\n")
    expect(isBuildFresh(out)).toBe(false)
    await builtEntry('probe', out, entries)
    expect(isBuildFresh(out)).toBe(true)
    expect(await runNode(bundle)).toBe('second beside the source\n')

    // Only touched (same content, another time): rebuilt too, the stamp does not guess.
    const before = statSync(bundle).mtimeMs
    const earlier = new Date(Date.now() - 60_000)
    utimesSync(source, earlier, earlier)
    expect(isBuildFresh(out)).toBe(false)
    await builtEntry('probe', out, entries)
    expect(isBuildFresh(out)).toBe(true)
    expect(statSync(bundle).mtimeMs).toBeGreaterThan(before)

    // A missing build is built.
    rmSync(out, { recursive: true, force: true })
    expect(isBuildFresh(out)).toBe(false)
    await buildDist(out, entries)
    expect(await runNode(bundle)).toBe('second beside the source\n')
  }, 120_000)

  it("runs a bundle with V8's code cache, one per build; source maps on request", async () => {
    const cacheProbe = join(probeDir, 'cache')
    mkdirSync(cacheProbe, { recursive: true })
    const source = join(cacheProbe, 'value.ts')
    writeFileSync(
      join(cacheProbe, 'probe.ts'),
      "import { value } from './value'\nif (value === 'boom') throw new Error('boom')\nconsole.log(value)\n",
    )
    const out = join(cacheProbe, 'out')
    const entries = { probe: join('test-artifacts', `precompiled-${process.pid}`, 'cache', 'probe.ts') }
    const bundle = join(out, 'probe.js')
    const runBundle = join(ROOT, 'scripts', 'run-bundle.js')
    const cacheFiles = () => readdirSync(join(out, '.code-cache'))

    writeFileSync(source, "export const value: string = 'first'\n")
    await buildDist(out, entries)
    // The first run writes the cache as it exits; the next one is handed it and keeps it.
    expect(await runNode(runBundle, bundle)).toBe('first\n')
    const [written] = cacheFiles()
    expect(cacheFiles()).toEqual([written])
    const writtenAt = statSync(join(out, '.code-cache', written)).mtimeMs
    expect(await runNode(runBundle, bundle)).toBe('first\n')
    expect(statSync(join(out, '.code-cache', written)).mtimeMs).toBe(writtenAt)
    // Other Node options (V8 refuses a cache made under other flags): a cache of their own, and
    // the first one stays as it was.
    expect(await runNode('--max-semi-space-size=4', runBundle, bundle)).toBe('first\n')
    expect(cacheFiles()).toHaveLength(2)
    expect(cacheFiles()).toContain(written)
    expect(await runNode(runBundle, bundle)).toBe('first\n')
    expect(statSync(join(out, '.code-cache', written)).mtimeMs).toBe(writtenAt)
    // At most four sets of options keep one: the least recently written go first.
    for (const size of [5, 6, 7]) expect(await runNode(`--max-semi-space-size=${size}`, runBundle, bundle)).toBe('first\n')
    expect(cacheFiles()).toHaveLength(4)
    expect(cacheFiles()).not.toContain(written)

    // A bundle of the same length but other code (V8 would take the old cache for it): a cache of
    // its own, the old one gone.
    writeFileSync(source, "export const value: string = 'third'\n")
    await buildDist(out, entries)
    expect(await runNode(runBundle, bundle)).toBe('third\n')
    const [rewritten] = cacheFiles()
    expect(cacheFiles()).toEqual([rewritten])
    expect(rewritten).not.toBe(written)

    // A cache V8 refuses (damaged) is only a slower start, and is written anew.
    writeFileSync(join(out, '.code-cache', rewritten), 'not a code cache')
    expect(await runNode(runBundle, bundle)).toBe('third\n')
    expect(statSync(join(out, '.code-cache', rewritten)).size).toBeGreaterThan(100)

    // With --enable-source-maps, stack traces name the TypeScript source.
    writeFileSync(source, "export const value: string = 'boom'\n")
    await buildDist(out, entries)
    const failed = await runNode('--enable-source-maps', runBundle, bundle).catch((err: Error) => err.message)
    expect(failed).toMatch(/probe\.ts:2/)
  }, 120_000)

  it('runs the CLI from its bundle: the version from package.json, a command', async () => {
    const version = await runCli(['--version'])
    expect(version.code).toBe(0)
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/)
    expect(isBuildFresh()).toBe(true)
    const help = await runCli(['accounts', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('Usage: unimeter accounts')
  }, 120_000)
})
