/**
 * The precompiled build: esbuild bundles the gateway (`npm start`) and the CLI (`unimeter`) into
 * plain JavaScript in dist/, so starting them loads no TypeScript loader. The bundles are CommonJS,
 * so that scripts/run-bundle.js can run them with V8's code cache (Node 20 has none for ES modules). Plain JavaScript itself
 * (it runs before anything is compiled): `npm ci` runs it as the `prepare` step, and the
 * launchers (scripts/start.js, bin/unimeter.js) call `ensureBuilt` first, which rebuilds whenever
 * a source the bundles were made from has changed since, so a stale build never runs.
 *
 *   node scripts/build-dist.js     build now
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join, relative, resolve, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { runBundle } from './run-bundle.js'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const DIST_DIR = join(ROOT, 'dist')

/** Output name → entry point (relative to the repository). */
export const ENTRIES = {
  gateway: 'src/runtime/node/main.ts',
  cli: 'src/cli/main.ts',
}

const STAMP = 'build-stamp.json'
// Besides the sources esbuild reports reading: the dependencies bundled in (their exact versions),
// and this file (how they are bundled).
const EXTRA_INPUTS = ['package.json', 'package-lock.json']
const SELF = 'scripts/build-dist.js'

/**
 * Sources keep reading files next to themselves (`new URL('./migrations', import.meta.url)`:
 * mappings/, the SQLite migrations, the browser code, package.json). In a bundle `import.meta.url`
 * would be the bundle's own location, so in every source file it is rewritten to the URL of that
 * source file, computed from the bundle's place at run time (dist/ and the sources move together).
 */
function sourceUrlPlugin(outDir) {
  return {
    name: 'source-import-meta-url',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (args.path.split(sep).includes('node_modules')) return undefined
        const text = await readFile(args.path, 'utf8')
        if (!text.includes('import.meta.')) return { contents: text, loader: 'ts' }
        if (/import\.meta\.(dirname|filename)/.test(text))
          throw new Error(`${args.path}: use import.meta.url (the build rewrites only that one)`)
        const fromBundle = JSON.stringify(relative(outDir, args.path).split(sep).join('/'))
        const bundleUrl = "require('node:url').pathToFileURL(__filename)"
        return { contents: text.replaceAll('import.meta.url', `new URL(${fromBundle}, ${bundleUrl}).href`), loader: 'ts' }
      })
    },
  }
}

/** Size and modification time of each input: the stamp a build is checked against. */
function fingerprint(paths) {
  const out = {}
  for (const path of paths) {
    try {
      const s = statSync(join(ROOT, path))
      out[path] = [s.size, s.mtimeMs]
    } catch {
      out[path] = null
    }
  }
  return out
}

const LOADED_SELF = fingerprint([SELF])[SELF]

/**
 * Bundles every entry (output name → source path, relative to the repository) into `outDir`:
 * whole files swapped in by rename, the stamp last, so a concurrent start reads either build.
 */
export async function buildDist(outDir = DIST_DIR, entries = ENTRIES) {
  const { build } = await import('esbuild')
  const { randomBytes } = await import('node:crypto')
  const startedAt = Date.now()
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: Object.fromEntries(Object.entries(entries).map(([name, path]) => [name, join(ROOT, path)])),
    outdir: outDir,
    write: false,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // `import()` of what stays outside (esbuild, node:dns) as require(): a script run through
    // node:vm may import only with an experimental flag.
    supported: { 'dynamic-import': false },
    // Without comments and white space the bundle is a third smaller to read, hash and keep in
    // memory; names stay, so stack traces and profiles name the functions.
    minifyWhitespace: true,
    minifySyntax: true,
    // Native (better-sqlite3, esbuild) or optional (ws's speed-ups) packages load from node_modules.
    external: ['better-sqlite3', 'esbuild', 'bufferutil', 'utf-8-validate'],
    // Stack traces name the sources with `node --enable-source-maps`; profiles are mapped back too.
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    plugins: [sourceUrlPlugin(outDir)],
  })
  const inputs = Object.keys(result.metafile.inputs).filter((path) => !path.split('/').includes('node_modules'))
  // This file as it was when this process loaded it: a long-running process with an older copy
  // stamps its build as older, so the next start rebuilds with the current one.
  const stamp = { ...fingerprint([...inputs, ...EXTRA_INPUTS].sort()), [SELF]: LOADED_SELF }
  mkdirSync(outDir, { recursive: true })
  const replace = (path, contents) => {
    const tmp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`
    writeFileSync(tmp, contents)
    renameSync(tmp, path)
  }
  for (const file of result.outputFiles) replace(file.path, file.contents)
  // The bundles are CommonJS in a package whose .js files are ES modules: dist/ says so for itself.
  replace(join(outDir, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`)
  // A source saved while esbuild was reading it may not be in the bundle: no stamp, so the next
  // start builds again.
  const finishedAt = Date.now()
  if (Object.values(stamp).some((entry) => entry && entry[1] >= startedAt && entry[1] <= finishedAt)) return
  replace(join(outDir, STAMP), `${JSON.stringify(stamp)}\n`)
}

/** True when `outDir` holds a build of exactly the current sources. */
export function isBuildFresh(outDir = DIST_DIR) {
  let stamp
  try {
    stamp = JSON.parse(readFileSync(join(outDir, STAMP), 'utf8'))
  } catch {
    return false
  }
  const now = fingerprint(Object.keys(stamp))
  return Object.entries(stamp).every(([path, entry]) => JSON.stringify(entry) === JSON.stringify(now[path]))
}

/** The file URL of entry `name`'s bundle, built first if missing or stale. */
export async function builtEntry(name, outDir = DIST_DIR, entries = ENTRIES) {
  if (!isBuildFresh(outDir)) await buildDist(outDir, entries)
  return pathToFileURL(join(outDir, `${name}.js`)).href
}

/** Runs entry `name` (built first if missing or stale) with V8's code cache; returns its exports. */
export async function importBuilt(name) {
  return runBundle(fileURLToPath(await builtEntry(name)))
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildDist(process.argv[2] ? resolve(process.argv[2]) : DIST_DIR)
}
