/**
 * Writes src/engine/mapping/aot/mappings.generated.js from the files under mappings/:
 *
 *   npm run generate:mappings
 *
 * Run it after changing a mapping file, the generator or its runtime (a test fails until then;
 * meanwhile a changed file runs on the closures, since its text no longer matches).
 */
import { fileURLToPath, pathToFileURL } from 'node:url'
import { collectMappingFiles } from '../../../runtime/workers/mapping-bundle'
import { writeGeneratedFile } from '../../../runtime/workers/generated-file'
import { generateModule } from './module-text'

export const GENERATED_MODULE_PATH = fileURLToPath(new URL('./mappings.generated.js', import.meta.url))

export function generatedModuleText(): string {
  return generateModule(collectMappingFiles())
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const changed = writeGeneratedFile(GENERATED_MODULE_PATH, generatedModuleText())
  console.log(changed ? `wrote ${GENERATED_MODULE_PATH}` : `${GENERATED_MODULE_PATH} is up to date`)
}
