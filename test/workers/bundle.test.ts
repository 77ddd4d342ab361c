/**
 * The Worker as it would be deployed (`wrangler deploy --dry-run`): built from wrangler.toml with
 * no nodejs_compat, it must hold none of the Node-only modules (simulators, SQLite, undici, the
 * Node entry) and must carry every mapping file as data.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collectMappingFiles, MAPPING_BUNDLE_PATH } from '../../src/runtime/workers/mapping-bundle'
import { runWrangler } from './wrangler'

let dir: string
let code: string
let sources: string[]

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'unimeter-bundle-'))
  await runWrangler(['deploy', '--dry-run', '--outdir', join(dir, 'out')], dir)
  code = readFileSync(join(dir, 'out', 'worker.js'), 'utf8')
  sources = (JSON.parse(readFileSync(join(dir, 'out', 'worker.js.map'), 'utf8')) as { sources: string[] }).sources
}, 120_000)

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('the Worker bundle', () => {
  it('has no static import of a Node built-in (they would fail at load without nodejs_compat)', () => {
    expect(code.match(/^\s*import\s[^;]*?from\s*["']node:[^"']+["']/gm) ?? []).toEqual([])
    expect(code.match(/\brequire\(\s*["']node:[^"']+["']\s*\)/g) ?? []).toEqual([])
  })

  it.each([
    ['vendor simulators', /\/simulator\//],
    ['the simulator kit and sandbox', /src\/sandbox\//],
    ['the Node runtime entry', /src\/runtime\/node\//],
    ['better-sqlite3', /node_modules\/(better-sqlite3|drizzle-orm\/better-sqlite3)\//],
    ['undici', /node_modules\/undici\//],
    ['ws', /node_modules\/ws\//],
    ['@hono/node-server', /node_modules\/@hono\/node-server\//],
  ])('leaves out %s', (_what, pattern) => {
    expect(sources.filter((s) => pattern.test(s))).toEqual([])
  })

  it('keeps the Worker-side pieces (D1 driver, fetch transport, the stand-in for simulators)', () => {
    for (const needed of [/drizzle-orm\/d1\//, /src\/engine\/http\/fetch-transport\.ts$/, /src\/runtime\/workers\/no-simulator\.ts$/]) {
      expect(sources.some((s) => needed.test(s)), String(needed)).toBe(true)
    }
  })

  it('carries every file under mappings/, as the build regenerated it', () => {
    const files = collectMappingFiles()
    expect(Object.keys(files).length).toBeGreaterThan(0)
    expect(JSON.parse(readFileSync(MAPPING_BUNDLE_PATH, 'utf8'))).toEqual(files)
    for (const path of Object.keys(files)) expect(code).toContain(JSON.stringify(path))
  })
})
