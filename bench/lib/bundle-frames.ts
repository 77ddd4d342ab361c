/**
 * CPU profiles of the precompiled gateway name one file, the bundle, for every frame. Its source
 * map (written next to it by scripts/build-dist.js) turns each frame back into the source file and
 * line it was bundled from, so profile summaries keep saying where the time goes.
 */
import { existsSync, readFileSync } from 'node:fs'
import { SourceMap, type SourceMapPayload } from 'node:module'
import { fileURLToPath } from 'node:url'
import type { CpuProfile } from './profile'

type Frame = CpuProfile['nodes'][number]['callFrame'] & { columnNumber?: number }

function sourceMapOf(url: string, cache: Map<string, SourceMap | undefined>): SourceMap | undefined {
  if (!cache.has(url)) {
    const file = `${fileURLToPath(url)}.map`
    cache.set(url, existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8')) as SourceMapPayload) : undefined)
  }
  return cache.get(url)
}

/** Rewrites, in place, the frames of bundles that have a source map to their sources. */
export function attributeBundleFrames(profile: CpuProfile): CpuProfile {
  const maps = new Map<string, SourceMap | undefined>()
  for (const node of profile.nodes) {
    const frame: Frame = node.callFrame
    if (!frame.url.startsWith('file://') || !/\.c?js$/.test(frame.url)) continue
    const map = sourceMapOf(frame.url, maps)
    const entry = map?.findEntry(frame.lineNumber, frame.columnNumber ?? 0)
    if (!entry || !('originalSource' in entry) || !entry.originalSource) continue
    // The map names sources relative to itself (esbuild), next to the bundle.
    frame.url = new URL(entry.originalSource, frame.url).href
    frame.lineNumber = entry.originalLine
  }
  return profile
}
