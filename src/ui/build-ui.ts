/**
 * Bundles the browser code (src/ui/browser/*-app.ts) with esbuild, a pinned dependency, into one
 * minified script per page, and reads the stylesheet. Node-only (esbuild is a native binary):
 * the Node runtime calls it on first use, the Worker build writes its output into a JSON module.
 */
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { UiAssetName } from './ui-assets'

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url))

async function bundle(entry: string): Promise<string> {
  // Loaded on first use, not with the gateway: most starts never serve a page.
  const { build } = await import('esbuild')
  const out = await build({
    entryPoints: [here(entry)],
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2022'],
    platform: 'browser',
    write: false,
    legalComments: 'none',
  })
  return out.outputFiles[0].text
}

export async function buildUiAssets(): Promise<Record<UiAssetName, string>> {
  const [connect, console, css] = await Promise.all([
    bundle('./browser/connect-app.ts'),
    bundle('./browser/console-app.ts'),
    readFile(here('./ui.css'), 'utf8'),
  ])
  return { 'connect.js': connect, 'console.js': console, 'ui.css': css }
}
