/**
 * The files the /docs page needs from the swagger-ui-dist package (a pinned dependency), served
 * by the gateway itself so the page renders with no request to anywhere else. Each runtime says
 * how it reads them: Node from node_modules, the Worker from a bundle generated at build time.
 */

/** The served names (under /docs/assets/), each the same file name in swagger-ui-dist. */
export const DOCS_ASSET_FILES = ['swagger-ui-bundle.js', 'swagger-ui.css'] as const
export type DocsAssetName = (typeof DOCS_ASSET_FILES)[number]

/** A file's text by name; the runtime's source, read once per process or isolate. */
export type DocsAssets = (name: DocsAssetName) => Promise<string>

export const DOCS_ASSET_PREFIX = '/docs/assets/'

export function docsAssetType(name: DocsAssetName): string {
  return name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8'
}

export function isDocsAsset(name: string): name is DocsAssetName {
  return (DOCS_ASSET_FILES as readonly string[]).includes(name)
}

/** Docs assets from a record of texts (the Worker's generated bundle, or a test's fixture). */
export function docsAssetsFromRecord(files: Record<string, string>): DocsAssets {
  return async (name) => {
    const text = files[name]
    if (typeof text !== 'string')
      throw new Error(`The docs asset ${name} is missing from the bundle: rebuild (wrangler runs src/runtime/workers/docs-bundle.ts)`)
    return text
  }
}
