/**
 * The Worker as it would be deployed (`wrangler deploy --dry-run`, esbuild's metafile beside it):
 * built from wrangler.toml with no nodejs_compat, it must hold none of the Node-only modules
 * (simulators, SQLite, undici, the Node entry) and must carry every mapping file as data.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { gzipSync } from 'node:zlib'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collectDocsAssets, DOCS_BUNDLE_PATH } from '../../src/runtime/workers/docs-bundle'
import { collectMappingFiles, MAPPING_BUNDLE_PATH } from '../../src/runtime/workers/mapping-bundle'
import { runWrangler } from './wrangler'

interface Metafile {
  /** Every bundled file, by path relative to the project root. */
  inputs: Record<string, unknown>
  outputs: Record<string, { imports: Array<{ path: string; kind: string; external?: boolean }> }>
}

let dir: string
let code: string
let meta: Metafile
let inputs: string[]

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'unimeter-bundle-'))
  await runWrangler(['deploy', '--dry-run', '--outdir', join(dir, 'out'), '--metafile', join(dir, 'meta.json')], dir)
  code = readFileSync(join(dir, 'out', 'worker.js'), 'utf8')
  meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as Metafile
  inputs = Object.keys(meta.inputs)
}, 120_000)

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('the Worker bundle', () => {
  it('imports no Node built-in statically (that fails at load without nodejs_compat)', () => {
    const imports = Object.values(meta.outputs).flatMap((o) => o.imports)
    expect(imports.filter((i) => i.kind !== 'dynamic-import')).toEqual([])
    // A dynamic import is allowed only where the code falls back when the module is missing.
    expect(imports.map((i) => i.path).filter((p) => !p.startsWith('node:'))).toEqual([])
  })

  it.each([
    ['vendor simulators', /^connectors\/[^/]+\/simulator\//],
    ['the simulator kit and sandbox', /^src\/sandbox\//],
    ['the Node runtime entry', /^src\/runtime\/node\//],
    ['SQLite on Node', /^node_modules\/(better-sqlite3|drizzle-orm\/better-sqlite3)\/|^src\/db\/open-sqlite\.ts$/],
    ['undici', /^node_modules\/undici\/|^src\/engine\/http\/undici-/],
    ['ws', /^node_modules\/ws\//],
    ['@hono/node-server', /^node_modules\/@hono\/node-server\//],
  ])('leaves out %s', (_what, pattern) => {
    expect(inputs.filter((s) => pattern.test(s))).toEqual([])
  })

  it('holds the Worker-side pieces: D1 driver, fetch transport, the stand-in for simulators', () => {
    for (const needed of [
      'node_modules/drizzle-orm/d1/driver.js',
      'src/engine/http/fetch-transport.ts',
      'src/runtime/workers/no-simulator.ts',
    ]) {
      expect(inputs).toContain(needed)
    }
  })

  it('carries every file under mappings/, as the build regenerated it', () => {
    const files = collectMappingFiles()
    expect(Object.keys(files).length).toBeGreaterThan(0)
    expect(JSON.parse(readFileSync(MAPPING_BUNDLE_PATH, 'utf8'))).toEqual(files)
    for (const path of Object.keys(files)) expect(code).toContain(JSON.stringify(path))
  })

  it("carries the /docs page's Swagger UI files from swagger-ui-dist, within the Worker size limit", () => {
    expect(inputs).toContain('src/runtime/workers/docs-bundle.generated.json')
    expect(Object.keys(JSON.parse(readFileSync(DOCS_BUNDLE_PATH, 'utf8')))).toEqual(['swagger-ui-bundle.js', 'swagger-ui.css'])
    expect(JSON.parse(readFileSync(DOCS_BUNDLE_PATH, 'utf8'))).toEqual(collectDocsAssets())
    expect(code).toContain('SwaggerUIBundle')
    // Workers' limit is 3 MB gzipped on the free plan (10 MB paid); the bundle stays well under.
    expect(gzipSync(code).length).toBeLessThan(2.5 * 1024 * 1024)
  })
})
