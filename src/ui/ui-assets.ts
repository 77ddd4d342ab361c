/**
 * The browser files of the connect page and the console: TypeScript under src/ui/browser bundled
 * by esbuild (build-ui.ts) plus one stylesheet, served by the gateway under /ui/ so the pages
 * load nothing from anywhere else. Each runtime says where the bundle comes from: Node builds it
 * on first use, the Worker imports one generated at build time (src/runtime/workers/ui-bundle.ts).
 */

export const UI_ASSET_FILES = ['connect.js', 'console.js', 'ui.css'] as const
export type UiAssetName = (typeof UI_ASSET_FILES)[number]
export type UiAssets = (name: UiAssetName) => Promise<string>

export const UI_ASSET_PREFIX = '/ui/'

export function uiAssetType(name: UiAssetName): string {
  return name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8'
}

export function isUiAsset(name: string): name is UiAssetName {
  return (UI_ASSET_FILES as readonly string[]).includes(name)
}

export function uiAssetsFromRecord(files: Record<string, string>): UiAssets {
  return async (name) => {
    const text = files[name]
    if (typeof text !== 'string')
      throw new Error(`The UI asset ${name} is missing from the bundle: rebuild (wrangler runs src/runtime/workers/ui-bundle.ts)`)
    return text
  }
}
