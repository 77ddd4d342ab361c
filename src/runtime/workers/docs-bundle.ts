/**
 * Workers have no node_modules at run time: the /docs page's files (DOCS_ASSET_FILES from
 * swagger-ui-dist) are written into one JSON module the Worker imports, regenerated before each
 * build by wrangler's `[build] command` like the mapping bundle. Generated, never committed.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { DOCS_ASSET_FILES } from '../../docs/docs-assets'
import { swaggerUiDistDir } from '../node/docs-assets'
import { writeGeneratedFile } from './generated-file'

export const DOCS_BUNDLE_PATH = fileURLToPath(new URL('./docs-bundle.generated.json', import.meta.url))

export function collectDocsAssets(dir = swaggerUiDistDir()): Record<string, string> {
  return Object.fromEntries(DOCS_ASSET_FILES.map((name) => [name, readFileSync(join(dir, name), 'utf8')]))
}

export function writeDocsBundle(out = DOCS_BUNDLE_PATH): boolean {
  return writeGeneratedFile(out, `${JSON.stringify(collectDocsAssets())}\n`)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) writeDocsBundle()
