/** Node: the /docs page's files read from the installed swagger-ui-dist package, once each. */
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { DocsAssetName, DocsAssets } from '../../docs/docs-assets'

export function swaggerUiDistDir(): string {
  return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))
}

export function nodeDocsAssets(dir = swaggerUiDistDir()): DocsAssets {
  const cache = new Map<DocsAssetName, Promise<string>>()
  return (name) => {
    let text = cache.get(name)
    if (!text) {
      text = readFile(join(dir, name), 'utf8')
      // A failed read is not kept: the next request tries again.
      text.catch(() => cache.delete(name))
      cache.set(name, text)
    }
    return text
  }
}
