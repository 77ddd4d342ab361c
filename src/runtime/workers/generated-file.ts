/**
 * Writes a generated module for the Worker build. An unchanged file is left untouched, so
 * `wrangler dev` (which watches src/) does not rebuild for nothing; a changed one is replaced by
 * a rename, so a wrangler building at the same moment reads the old file or the new one, never
 * half of one.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'

export function writeGeneratedFile(out: string, text: string): boolean {
  if (existsSync(out) && readFileSync(out, 'utf8') === text) return false
  const temp = `${out}.${process.pid}.tmp`
  writeFileSync(temp, text)
  renameSync(temp, out)
  return true
}
