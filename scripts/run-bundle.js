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
 * V8 refuses a cache made under other flags, so each set of Node options (the command line's and
 * NODE_OPTIONS, e.g. heap sizes) keeps a cache of its own: processes started alternately with two
 * sets would otherwise each refuse and rewrite the other's, and compile the whole bundle every
 * time: a slower start, and about 11 MB more RSS for the process's life (the parser's memory,
 * which malloc keeps).
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
  const build = `${name}-${size}-${mtimeNs}-`
  const cacheFile = join(cacheDir, `${build}${process.arch}-${process.versions.v8}-${optionsKey()}.bin`)
  let cachedData
  try {
    cachedData = readFileSync(cacheFile)
  } catch {
    cachedData = undefined
  }
  const script = new vm.Script(module.wrap(source), { filename: file, cachedData })
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once('exit', () => writeCache(script, cacheDir, cacheFile, `${name}-`, build))
  }
  const mod = { exports: {}, filename: file, id: file, loaded: false }
  script.runInThisContext()(mod.exports, require, mod, file, dirname(file))
  mod.loaded = true
  return mod.exports
}

/** The Node options this process runs under, as a short hash (FNV-1a, 32 bits). */
function optionsKey() {
  const options = `${process.execArgv.join(' ')}|${process.env.NODE_OPTIONS ?? ''}`
  let hash = 0x811c9dc5
  for (let i = 0; i < options.length; i++) hash = Math.imul(hash ^ options.charCodeAt(i), 0x01000193)
  return (hash >>> 0).toString(16).padStart(8, '0')
}

/** How many sets of Node options keep a cache of one build (options that name a fresh path each run would pile up). */
const CACHES_PER_BUILD = 4

/**
 * Writes this run's cache file, whole, by rename, and removes older builds' (those named with
 * `prefix` but not `build`); this build's caches for other Node options stay, the most recently
 * written CACHES_PER_BUILD of them.
 */
function writeCache(script, cacheDir, cacheFile, prefix, build) {
  try {
    mkdirSync(cacheDir, { recursive: true })
    const tmp = `${cacheFile}.${process.pid}.tmp`
    writeFileSync(tmp, script.createCachedData())
    renameSync(tmp, cacheFile)
    const kept = []
    for (const old of readdirSync(cacheDir)) {
      if (!old.startsWith(prefix) || old.endsWith('.tmp')) continue
      if (old.startsWith(build)) kept.push({ path: join(cacheDir, old), at: statSync(join(cacheDir, old)).mtimeMs })
      else rmSync(join(cacheDir, old), { force: true })
    }
    kept.sort((a, b) => b.at - a.at)
    for (const { path } of kept.slice(CACHES_PER_BUILD)) if (path !== cacheFile) rmSync(path, { force: true })
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
