/**
 * Runs one of dist/'s CommonJS bundles with V8's code cache: the bytecode V8 compiled for it in an
 * earlier run is handed back, so a start neither parses the bundle's megabytes again nor compiles
 * the functions start-up runs (on Node 20, which has no compile cache of its own, half a second of
 * compiling on a busy machine). Plain JavaScript, like build-dist.js.
 *
 * The cache file is named after the bundle file's size and modification time, which every build
 * changes as it replaces the file (V8 itself checks only the source's length, its version and its
 * flags: it would take an older build's cache), and written when the process exits, with everything
 * compiled by then, whenever it was missing or V8 refused it (another Node version or V8 flags). A
 * cache that cannot be read or written costs only the speed-up. (No content hash: node:crypto
 * alone takes longer to load than the CLI's `--version` takes to run.)
 *
 * With `--enable-source-maps` the bundle is loaded by Node's own CommonJS loader instead: only that
 * way do stack traces name the TypeScript sources (Node maps no `vm` script), without the cache.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import module from 'node:module'
import { basename, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import vm from 'node:vm'

/** Runs the bundle at `file` (absolute path) and returns its exports. */
export function runBundle(file) {
  const require = module.createRequire(file)
  if (process.sourceMapsEnabled) return require(file)
  const source = readFileSync(file, 'utf8')
  const cacheDir = join(dirname(file), '.code-cache')
  const name = basename(file, '.js')
  const { size, mtimeNs } = statSync(file, { bigint: true })
  const cacheFile = join(cacheDir, `${name}-${size}-${mtimeNs}-${process.arch}-${process.versions.v8}.bin`)
  let cachedData
  try {
    cachedData = readFileSync(cacheFile)
  } catch {
    cachedData = undefined
  }
  const script = new vm.Script(module.wrap(source), { filename: file, cachedData })
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once('exit', () => writeCache(script, cacheDir, cacheFile, `${name}-`))
  }
  const mod = { exports: {}, filename: file, id: file, loaded: false }
  script.runInThisContext()(mod.exports, require, mod, file, dirname(file))
  mod.loaded = true
  return mod.exports
}

/** Replaces the bundle's cache files (older builds' too) with this run's, whole, by rename. */
function writeCache(script, cacheDir, cacheFile, prefix) {
  try {
    mkdirSync(cacheDir, { recursive: true })
    const tmp = `${cacheFile}.${process.pid}.tmp`
    writeFileSync(tmp, script.createCachedData())
    renameSync(tmp, cacheFile)
    for (const old of readdirSync(cacheDir)) {
      if (old.startsWith(prefix) && join(cacheDir, old) !== cacheFile && !old.endsWith('.tmp')) rmSync(join(cacheDir, old), { force: true })
    }
  } catch {
    // A read-only or full disk: the next start compiles, as without a cache.
  }
}

// `node scripts/run-bundle.js <bundle> [args…]` (the benchmarks' precompiled children): runs the
// bundle as `npm start` runs the gateway, seeing the arguments as if it had been started itself.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.argv.splice(1, 1)
  runBundle(resolve(process.argv[1]))
}
