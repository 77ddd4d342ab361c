/** Node: mapping files are read from the repository's mappings/ folder. */
import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { MappingSource } from '../../engine/mapping/mapping-source'

export const MAPPINGS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../mappings')

export function fileMappingSource(root = MAPPINGS_DIR): MappingSource {
  return {
    async read(path) {
      if (path.includes('..')) return undefined
      try {
        return await readFile(resolve(root, path), 'utf8')
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
        throw err
      }
    },
  }
}
