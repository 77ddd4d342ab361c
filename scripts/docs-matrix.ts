/**
 * `npm run docs:matrix`: rewrites README.md's support matrix (between the support-matrix markers)
 * from the connectors and mappings — the same data GET /integrations serves.
 * `npm run docs:matrix -- --check` only reports whether the README is up to date (exit 1 if not).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { connectors } from '../connectors'
import { MappingEngine } from '../src/engine/mapping/mapping-engine'
import { buildCatalog, resourceFields } from '../src/integrations/catalog'
import { extractSupportMatrix, renderSupportMatrix, replaceSupportMatrix } from '../src/integrations/matrix-markdown'
import { models } from '../src/models'
import { fileMappingSource, MAPPINGS_DIR } from '../src/runtime/node/mapping-files'

const readme = resolve(MAPPINGS_DIR, '..', 'README.md')
const catalog = await buildCatalog({ connectors, models, mappings: new MappingEngine(fileMappingSource()) })
const block = renderSupportMatrix(catalog, resourceFields(models))
const doc = readFileSync(readme, 'utf8')

if (process.argv.includes('--check')) {
  const upToDate = extractSupportMatrix(doc) === block
  console.log(upToDate ? 'README support matrix is up to date.' : 'README support matrix is out of date: run npm run docs:matrix')
  process.exit(upToDate ? 0 : 1)
}
writeFileSync(readme, replaceSupportMatrix(doc, block))
console.log(`README support matrix written for ${catalog.map((i) => i.id).join(', ')}.`)
