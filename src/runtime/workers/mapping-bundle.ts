/**
 * Workers have no file system, so every file under mappings/ is written into one JSON module
 * that the Worker imports. wrangler runs this before each build (`[build] command` in
 * wrangler.toml), so adding a mapping file needs no code change on either runtime. The output
 * is generated, never committed.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { MAPPINGS_DIR } from '../node/mapping-files'
import { writeGeneratedFile } from './generated-file'

export const MAPPING_BUNDLE_PATH = fileURLToPath(new URL('./mapping-bundle.generated.json', import.meta.url))

/** Every regular file under `root`, keyed by its path relative to `root` with forward slashes. */
export function collectMappingFiles(root = MAPPINGS_DIR): Record<string, string> {
  const files: Record<string, string> = {}
  const entries = readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => join(e.parentPath, e.name))
    .sort()
  for (const file of entries)
    files[
      file
        .slice(root.length + 1)
        .split(sep)
        .join('/')
    ] = readFileSync(file, 'utf8')
  return files
}

/** Writes the bundle (see writeGeneratedFile: untouched when unchanged, else replaced by a rename). */
export function writeMappingBundle(root = MAPPINGS_DIR, out = MAPPING_BUNDLE_PATH): boolean {
  return writeGeneratedFile(out, `${JSON.stringify(collectMappingFiles(root), null, 2)}\n`)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) writeMappingBundle()
