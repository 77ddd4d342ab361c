/**
 * Workers have no file system, so every file under mappings/ is written into one JSON module
 * that the Worker imports. wrangler runs this before each build (`[build] command` in
 * wrangler.toml), so adding a mapping file needs no code change on either runtime. The output
 * is generated, never committed.
 */
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs'
import { join, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { MAPPINGS_DIR } from '../node/mapping-files'

export const MAPPING_BUNDLE_PATH = fileURLToPath(new URL('./mapping-bundle.generated.json', import.meta.url))

/** Every regular file under `root`, keyed by its path relative to `root` with forward slashes. */
export function collectMappingFiles(root = MAPPINGS_DIR): Record<string, string> {
  const files: Record<string, string> = {}
  const entries = readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => join(e.parentPath, e.name))
    .sort()
  for (const file of entries) files[file.slice(root.length + 1).split(sep).join('/')] = readFileSync(file, 'utf8')
  return files
}

/**
 * Writes the bundle. An unchanged bundle is left untouched, so `wrangler dev` (which watches
 * src/) does not rebuild for nothing; a changed one is replaced by a rename, so a wrangler
 * building at the same moment reads the old file or the new one, never half of one.
 */
export function writeMappingBundle(root = MAPPINGS_DIR, out = MAPPING_BUNDLE_PATH): boolean {
  const text = `${JSON.stringify(collectMappingFiles(root), null, 2)}\n`
  if (existsSync(out) && readFileSync(out, 'utf8') === text) return false
  const temp = `${out}.${process.pid}.tmp`
  writeFileSync(temp, text)
  renameSync(temp, out)
  return true
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) writeMappingBundle()
