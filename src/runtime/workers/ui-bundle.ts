/**
 * Workers have no esbuild at run time: the connect page's and console's files (UI_ASSET_FILES)
 * are bundled into one JSON module the Worker imports, regenerated before each build by
 * wrangler's `[build] command` like the docs bundle. Generated, never committed.
 */
import { fileURLToPath, pathToFileURL } from 'node:url'
import { buildUiAssets } from '../../ui/build-ui'
import { writeGeneratedFile } from './generated-file'

export const UI_BUNDLE_PATH = fileURLToPath(new URL('./ui-bundle.generated.json', import.meta.url))

export async function writeUiBundle(out = UI_BUNDLE_PATH): Promise<boolean> {
  return writeGeneratedFile(out, `${JSON.stringify(await buildUiAssets())}\n`)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await writeUiBundle()
